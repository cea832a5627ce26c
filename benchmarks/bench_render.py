"""Issue 18: the render stage's memory (whole process tree, per process) and its job seconds.

    .venv/bin/python benchmarks/bench_render.py --csv-dir DIR/1m/csv --out DIR/render-1m --plans 40
    .venv/bin/python benchmarks/bench_render.py --csv-dir DIR/10m/csv --out DIR/render-10m --end-to-end

The data pass runs first when the run folder has no stored results (``kamreport run PARAMS
--only data``, timed apart). Then ``kamreport run PARAMS --only xlsx,html`` renders every region,
the company, and the key-account and group plans (``--plans all``), or the company and the
regions followed by the first N key accounts' plans (``--plans N``, a second command with
``--account``), each a separate ``kamreport`` process sampled with
:class:`scalebench.memory.TreeSampler` every 0.2 s: the tree's peak while rendering, broken
down by process role (the pack, its pool workers, their kernels), and each process's own peak.
Job seconds per kind come from run.json.  ``--end-to-end`` instead runs one ``kamreport run
PARAMS --force`` (data pass and every report and plan in one process tree, as a user runs the
quarter); the render peak is then the tree's from the first render worker on.
``--orchestration`` runs every job of the quarter (4,538 at 10 M) with notebooks reduced to
their ``parameters`` cell and one empty cell: the jobs cost almost nothing, so what the run
spends around them — the pack's own CPU (run.json, the manifest, the progress), the pool's
hand-offs, a kernel reset per job, the executed notebook and its HTML — is what is measured.
Results: ``results/render-<label>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from scalebench.memory import TreeSampler, mib

RESULTS = Path(__file__).parent / "results"
KAMREPORT = [str(Path(sys.executable).parent / "kamreport")]


def machine() -> dict[str, Any]:
    """The machine and its load when the measure starts."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor() or platform.machine(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def write_params(
    csv_dir: Path, out: Path, workers: int, account_plans: bool, notebooks: Path | None = None, name: str = ""
) -> Path:
    """A params file over the demo CSVs (the scale benchmark's), its run folder under ``out``."""
    from kamreport.demo import write_demo_params

    name = name or ("params.yaml" if account_plans else "params-reports.yaml")
    render: dict[str, Any] = {"workers": workers, "account_plans": account_plans}
    if notebooks is not None:
        render["notebooks_dir"] = str(notebooks)
    return write_demo_params(out / name, csv_dir, out / "output", fmt="csv", period="2026Q3", render=render)


def empty_notebooks(folder: Path) -> Path:
    """The kit's report notebooks reduced to their ``parameters`` cell and one cell that does nothing."""
    import nbformat

    from kamreport.report.notebooks import default_notebooks_dir

    folder.mkdir(parents=True, exist_ok=True)
    for source in default_notebooks_dir().glob("*.ipynb"):
        notebook = nbformat.read(source, as_version=4)
        notebook.cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        notebook.cells.append(nbformat.v4.new_code_cell("pass"))
        nbformat.write(notebook, folder / source.name)
    return folder


def sampled(command: list[str], interval: float = 0.2) -> dict[str, Any]:
    """Run ``command``, sampling its process tree; wall seconds, tree peak and its breakdown."""
    load = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, interval, per_process=True).start()
    stopped = False
    try:
        _, err = process.communicate()
    except KeyboardInterrupt:  # stopped by hand (kill -INT): the figures so far are kept, marked as such
        stopped = True
        process.terminate()  # its render workers see their parent go and end with their kernels
        _, err = process.communicate()
    samples = sampler.stop()
    if process.returncode not in (0, 1) and not stopped:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {err[-2000:]}")
    rendering = [s for s in samples if sampler.first_worker is not None and s.t >= sampler.first_worker]
    roles: dict[str, list[float]] = {}
    for name, peak in sampler.peaks.values():
        roles.setdefault(name, []).append(mib(peak))
    pss_roles: dict[str, list[tuple[float, float]]] = {}
    for name, pss, uss in sampler.pss_peaks.values():
        pss_roles.setdefault(name, []).append((mib(pss), mib(uss)))
    return {
        "command": " ".join(command),
        "exit_code": process.returncode,
        "stopped_by_hand": stopped,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "load_average_start": load,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "tree_peak_mib": mib(max((s.total for s in samples), default=0)),
        "pack_peak_mib": mib(max((s.own for s in samples), default=0)),
        "render_tree_peak_mib": mib(max((s.total for s in rendering), default=0)),
        "render_pack_peak_mib": mib(max((s.own for s in rendering), default=0)),
        "at_tree_peak_mib": {k: mib(v) for k, v in sorted(sampler.at_peak.items())},
        "process_peaks_mib": {k: sorted(v, reverse=True) for k, v in sorted(roles.items())},
        # RSS counts a page shared by k processes k times; PSS counts it 1/k in each (the honest sum)
        "memory_measure": "sum of RSS; PSS and USS from /proc/PID/smaps_rollup every second",
        "render_tree_pss_peak_mib": mib(sampler.pss_peak),
        "at_tree_pss_peak_mib": {k: mib(v) for k, v in sorted(sampler.at_pss_peak.items())},
        "process_pss_uss_peaks_mib": {k: sorted(v, reverse=True) for k, v in sorted(pss_roles.items())},
        "cpu_seconds_by_role": sampler.cpu_by_role(),
        "cpu_seconds_by_role_while_rendering": sampler.cpu_by_role(since_first_worker=True),
    }


def job_seconds(run_dir: Path) -> dict[str, Any]:
    """Per kind: count, median, p90, max and sum of the jobs' own seconds (run.json)."""
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    by_kind: dict[str, list[float]] = {}
    for job in manifest.get("jobs", []):
        by_kind.setdefault(str(job["id"]).split(":", 1)[0], []).append(float(job.get("seconds") or 0.0))
    stats = {}
    for kind, secs in sorted(by_kind.items()):
        secs.sort()
        stats[kind] = {
            "jobs": len(secs),
            "median": round(statistics.median(secs), 3),
            "p90": round(secs[int(0.9 * (len(secs) - 1))], 3),
            "max": round(secs[-1], 3),
            "sum": round(sum(secs), 1),
        }
    failed = [j["id"] for j in manifest.get("jobs", []) if j.get("status") != "ok"]
    return {"by_kind": stats, "failed": failed, "stages": manifest.get("stages", {}), **outside_jobs(manifest)}


def outside_jobs(manifest: dict[str, Any]) -> dict[str, Any]:
    """The render stage's seconds beside each worker's sum of job seconds: what went between jobs.

    A worker's sum is the time it spent inside ``render_job``; the render stage minus that sum
    is its time outside the jobs (waiting for work, passing the job and its result, the pool's
    start and end).  The pack process's own CPU does not show here: it competes with the
    workers for the cores and so lengthens the jobs themselves (see ``cpu_seconds_by_role``).
    """
    render = float(manifest.get("stages", {}).get("render") or 0.0)
    workers: dict[str, list[float]] = {}
    for job in manifest.get("jobs", []):
        workers.setdefault(str(job.get("worker")), []).append(float(job.get("seconds") or 0.0))
    per_worker = {
        w: {"jobs": len(s), "sum": round(sum(s), 1), "outside": round(render - sum(s), 1)} for w, s in workers.items()
    }
    total = sum(sum(s) for s in workers.values())
    return {
        "render_stage_seconds": render,
        "job_seconds_sum": round(total, 1),
        "job_seconds_sum_per_worker": round(total / max(1, len(workers)), 1),
        "per_worker": per_worker,
    }


def key_accounts(run_dir: Path, limit: int) -> list[str]:
    """The first ``limit`` key accounts, largest revenue first (as kamreport orders its plans)."""
    import pandas as pd

    accounts = pd.read_csv(run_dir / "accounts.csv", dtype={"account_id": str})
    key = accounts[accounts["key_account"].astype(bool)]
    ordered = key.sort_values(["revenue_t4q", "account_id"], ascending=[False, True])
    return ordered["account_id"].head(limit).tolist()


def main() -> None:
    """Run the render benchmark and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv-dir", type=Path, required=True, help="the demo CSVs (demo-data --format csv)")
    parser.add_argument("--out", type=Path, required=True, help="params files and run folder go here")
    parser.add_argument("--plans", default="40", help="'all', or the first N key accounts' plans")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--end-to-end", action="store_true", help="one `kamreport run --force`: data pass and render")
    parser.add_argument(
        "--orchestration", action="store_true", help="every job of the quarter, each notebook reduced to nothing"
    )
    parser.add_argument("--label", default=None, help="results/render-<label>.json (default: the csv folder's parent)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    label = args.label or args.csv_dir.resolve().parent.name
    every = write_params(args.csv_dir, args.out, args.workers, account_plans=True)
    reports = write_params(args.csv_dir, args.out, args.workers, account_plans=False)
    run_dir = next((args.out / "output").glob("*/run.json"), None)
    result: dict[str, Any] = {
        "machine": machine(),
        "basis": "measured",
        "csv_dir": str(args.csv_dir),
        "plans": args.plans,
    }
    if args.orchestration:  # every job, with notebooks that do nothing: the cost around the jobs
        empty = write_params(
            args.csv_dir, args.out, args.workers, True, empty_notebooks(args.out / "notebooks"), "params-empty.yaml"
        )
        step = sampled([*KAMREPORT, "run", str(empty), "--only", "html"])
        step["jobs"] = job_seconds(next((args.out / "output").glob("*/run.json")).parent)
        result.update(render=[step], orchestration=True)
        result["render_tree_peak_mib"] = step["render_tree_peak_mib"]
        write_result(result, label)
        return
    if args.end_to_end:  # one process: the data pass, then every report and plan
        step = sampled([*KAMREPORT, "run", str(every), "--force"])
        folder = next((args.out / "output").glob("*/run.json")).parent
        step["jobs"] = job_seconds(folder)
        result.update(render=[step], end_to_end_seconds=step["wall_seconds"])
        result["render_tree_peak_mib"] = step["render_tree_peak_mib"]
        write_result(result, label)
        return
    if run_dir is None:
        result["data_pass"] = sampled([*KAMREPORT, "run", str(every), "--only", "data"])
        run_dir = next((args.out / "output").glob("*/run.json"))
    folder = run_dir.parent
    steps: list[dict[str, Any]] = []
    if args.plans == "all":
        steps.append(sampled([*KAMREPORT, "run", str(every), "--only", "xlsx,html"]))
        steps[-1]["jobs"] = job_seconds(folder)
    else:
        steps.append(sampled([*KAMREPORT, "run", str(reports), "--only", "xlsx,html"]))
        steps[-1]["jobs"] = job_seconds(folder)
        chosen = key_accounts(folder, int(args.plans))
        picks = [part for a in chosen for part in ("--account", a)]
        steps.append(sampled([*KAMREPORT, "run", str(every), "--only", "xlsx,html", *picks]))
        steps[-1]["jobs"] = job_seconds(folder)
    result["render"] = steps
    result["render_tree_peak_mib"] = max(s["render_tree_peak_mib"] for s in steps)
    write_result(result, label)


def write_result(result: dict[str, Any], label: str) -> None:
    """``results/render-<label>.json``, and the same on stdout."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"render-{label}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    print(f"→ {out}")


if __name__ == "__main__":
    main()
