"""The data pass against a plain read of the same files (issue 18, goals 1 and 2).

    .venv/bin/python benchmarks/bench_data.py [--sizes 1m,10m] [--repeat 3] [--data-dir DIR]

For each size (the demo data as CSV exports, ``benchmarks/data/<size>/csv``, made once):

* **plain read** — what any script must do at the least: ``pandas.read_csv(engine="pyarrow")``
  of every CSV of the dataset, ``to_datetime`` on the sales dates and one group-by (account,
  month) sum of revenue;
* **data pass** — ``kamreport run PARAMS --only data --force``: fingerprint, load + validate,
  aggregate, compute, store and the CSV exports, no report;
* **imports** — seconds to import what ``kamreport run`` needs before the data pass, and
  which heavy modules (seaborn, matplotlib, nbconvert, papermill, dask, pandera) the data
  pass loaded.

Each is a fresh process; the two sides take turns ``--repeat`` times.  Per run: wall seconds
(process start to exit, interpreter start-up included on both sides), CPU seconds (user + sys
of the process and its threads, from ``wait4``), its peak resident memory (``ru_maxrss``) and
the load average when it started.  kamreport's stage seconds come from its run.json.  The
best wall of each side is the figure of record (the machine is shared: the best is the one
least disturbed), the CPU seconds show how much work each really did.  Results go to
``results/data.json`` (``--out`` names another file).

``--code DIR`` measures the kamreport source tree in DIR instead of the installed one — an
earlier commit, for a before/after on the same machine and load:
``git archive COMMIT kamreport | tar -x -C DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

RESULTS = HERE / "results"
HEAVY = ("seaborn", "matplotlib", "nbconvert", "papermill", "dask", "distributed", "pandera", "nbclient")
# what `kamreport run` imports before the data pass starts (kamreport.cli._run)
RUN_IMPORTS = ("kamreport.cli", "kamreport.params", "kamreport.run.lock", "kamreport.run.pack")
GIB = 2**30


# --------------------------------------------------------------------------- the children


def plain_read(csv_dir: str) -> dict[str, Any]:
    """The plain read, in this process: every CSV, the sales dates, one group-by."""
    import pandas as pd

    from kamreport.demo import DEMO_TABLES

    frames = {t: pd.read_csv(Path(csv_dir) / f"{t}.csv", engine="pyarrow") for t in DEMO_TABLES}
    sales = frames["sales"]
    sales["date"] = pd.to_datetime(sales["date"])
    grouped = sales.groupby(["account_id", sales["date"].dt.to_period("M")])["revenue"].sum()
    return {"rows": {t: len(f) for t, f in frames.items()}, "groups": len(grouped)}


def kamreport_data_pass(params_file: str) -> dict[str, Any]:
    """``kamreport run PARAMS --only data --force`` in this process; the heavy modules it loaded."""
    from kamreport.cli import main

    code = main(["run", params_file, "--only", "data", "--force"])
    return {"exit_code": code, "heavy_loaded": sorted(m for m in HEAVY if m in sys.modules)}


def run_imports() -> dict[str, Any]:
    """Seconds to import what ``kamreport run`` needs before the data pass (interpreter start-up excluded)."""
    import importlib

    started = time.perf_counter()
    for module in RUN_IMPORTS:
        importlib.import_module(module)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "heavy_loaded": sorted(m for m in HEAVY if m in sys.modules)}


CHILDREN = {"plain": plain_read, "kamreport": kamreport_data_pass, "imports": run_imports}


def child_main(kind: str, arg: str | None, out: str) -> None:
    result = CHILDREN[kind](arg) if arg is not None else CHILDREN[kind]()
    Path(out).write_text(json.dumps(result), encoding="utf-8")


# --------------------------------------------------------------------------- the parent


CODE: dict[str, str] = {}  # PYTHONPATH for the children when --code is given


def measure(kind: str, arg: str | None = None) -> dict[str, Any]:
    """Run one child; wall, CPU, peak RSS and the load average at its start."""
    out = Path(f"/tmp/bench_data_{os.getpid()}_{kind}.json")
    cmd = [sys.executable, __file__, "--child", kind, "--child-out", str(out)] + (["--arg", arg] if arg else [])
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        process = subprocess.Popen(cmd, stdout=devnull, env={**os.environ, **CODE})
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} child failed with exit code {process.returncode}")
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        "load_at_start": round(load, 2),
        **result,
    }


def stages(run_dir: Path) -> dict[str, float]:
    """The data stages' seconds from run.json."""
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    return dict(manifest.get("stages", {}))


def bench_size(size: str, data_dir: Path, repeat: int) -> dict[str, Any]:
    from scalebench.datasets import ensure_dataset, write_params

    dataset = ensure_dataset(data_dir, size)
    work = data_dir / size / "data-pass"
    params = write_params(work / "params.yaml", dataset.csv_dir, work / "output", workers=2, account_plans=False)
    run_dir = work / "output" / "2026Q3"
    plain: list[dict[str, Any]] = []
    kam: list[dict[str, Any]] = []
    for n in range(repeat):
        for side in ("plain", "kamreport") if n % 2 == 0 else ("kamreport", "plain"):
            if side == "plain":
                plain.append(measure("plain", str(dataset.csv_dir)))
            else:
                figures = measure("kamreport", str(params))
                figures["stages"] = stages(run_dir)
                kam.append(figures)
            last = (plain if side == "plain" else kam)[-1]
            print(
                f"  [{size}] {side:9s} wall {last['wall_seconds']:6.2f} s  cpu {last['cpu_seconds']:6.2f} s  "
                f"peak {last['peak_mib']:7.0f} MiB  load {last['load_at_start']:5.2f}",
                flush=True,
            )
    best_plain = min(plain, key=lambda r: r["wall_seconds"])
    best_kam = min(kam, key=lambda r: r["wall_seconds"])
    lva = {k: best_kam["stages"].get(k) for k in ("load_validate", "aggregate")}
    doc = {
        "size": size,
        "sales_lines": best_plain["rows"]["sales"],
        "plain": plain,
        "kamreport": kam,
        "best": {
            "plain_wall": best_plain["wall_seconds"],
            "kamreport_wall": best_kam["wall_seconds"],
            "ratio_wall": round(best_kam["wall_seconds"] / best_plain["wall_seconds"], 2),
            "plain_cpu_median": statistics.median(r["cpu_seconds"] for r in plain),
            "kamreport_cpu_median": statistics.median(r["cpu_seconds"] for r in kam),
            "plain_peak_mib": min(r["peak_mib"] for r in plain),
            "kamreport_peak_mib": min(r["peak_mib"] for r in kam),
            "kamreport_stages": best_kam["stages"],
            "load_validate_aggregate": round(sum(v for v in lva.values() if v is not None), 3),
        },
    }
    best = doc["best"]
    best["ratio_cpu"] = round(best["kamreport_cpu_median"] / best["plain_cpu_median"], 2)
    best["ratio_peak"] = round(best["kamreport_peak_mib"] / best["plain_peak_mib"], 2)
    best["heavy_loaded"] = best_kam["heavy_loaded"]
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1m,10m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--out", dest="results", default="data.json", help="results file name under results/")
    parser.add_argument("--code", type=Path, help="a kamreport source tree to measure instead of the installed one")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--arg", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", dest="out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.arg, args.out)
        return 0
    from scalebench.figures import machine

    if args.code:
        CODE["PYTHONPATH"] = str(args.code.resolve())

    imports = [measure("imports") for _ in range(max(3, args.repeat))]
    print(
        f"imports before the data pass: best {min(r['seconds'] for r in imports):.2f} s "
        f"(median {statistics.median(r['seconds'] for r in imports):.2f} s); heavy modules loaded: "
        f"{', '.join(imports[0]['heavy_loaded']) or 'none'}",
        flush=True,
    )
    doc: dict[str, Any] = {
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(["benchmarks/bench_data.py", *sys.argv[1:]]),
        "code": str(args.code) if args.code else "installed",
        "machine": machine(),
        "imports": {
            "best_seconds": min(r["seconds"] for r in imports),
            "median_seconds": statistics.median(r["seconds"] for r in imports),
            "heavy_loaded": imports[0]["heavy_loaded"],
            "runs": imports,
        },
        "sizes": {},
    }
    for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        result = bench_size(size, args.data_dir.resolve(), args.repeat)
        doc["sizes"][size] = result
        b = result["best"]
        print(
            f"{size}: plain read {b['plain_wall']:.2f} s / {b['plain_peak_mib']:.0f} MiB · data pass "
            f"{b['kamreport_wall']:.2f} s / {b['kamreport_peak_mib']:.0f} MiB → {b['ratio_wall']}× wall, "
            f"{b['ratio_cpu']}× CPU, {b['ratio_peak']}× peak; load+validate+aggregate "
            f"{b['load_validate_aggregate']:.2f} s; stages {b['kamreport_stages']}; heavy modules: "
            f"{', '.join(b['heavy_loaded']) or 'none'}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.results).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
