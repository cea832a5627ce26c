"""The company and region reports part by part, in process (issue 18, goal 5).

    .venv/bin/python benchmarks/bench_report.py RUN_DIR [--repeat 3] [--regions 3] [--mode inprocess|kernel|both]
                                                [--profile report.prof] [--out results/report.json]

``RUN_DIR`` is a run folder made by ``kamreport run`` (``params.json`` and a fresh results
store).  Two measures:

* **inprocess**: what the company and region notebooks' cells do, called in this process
  without a kernel, in CPU seconds: the cover, each chapter's section and charts
  (``kr.show``), its HTML with the charts encoded as PNG (``_repr_html_``) and the workbook.
  Each repeat opens the run again on a new view (the store stays in memory, as in a warm
  kernel), so nothing a view caches is reused across repeats.  ``--profile`` writes a
  cProfile of every repeat but the first.  The workbooks go into the run folder under
  ``.bench-report-*.xlsx`` and are removed.
* **kernel**: the pack's company and region jobs ``--repeat`` times over in one warm kernel,
  as a render worker runs them (``bench_plan.jobs_in_kernel``: wall seconds, kernel and
  worker CPU, papermill's per-cell seconds); the first job (kernel start and imports) is left
  out of the statistics.  The reports' own files in the run folder are overwritten.

Timing is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_plan import Timer, by_part, jobs_in_kernel, write_figures  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a run folder made by `kamreport run`")
    parser.add_argument("--repeat", type=int, default=3, help="times each report is made")
    parser.add_argument("--regions", type=int, default=3, help="regions (in the run's order)")
    parser.add_argument("--mode", choices=["inprocess", "kernel", "both"], default="inprocess")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile of the repeats after the first")
    parser.add_argument("--out", type=Path, default=None, help="JSON of the figures")
    return parser.parse_args(argv)


def one_report(kind: str, name: str | None, run_dir: Path, timer: Timer) -> None:
    """One report's cells, as its notebook runs them, each part timed."""
    import kamreport as kr
    from kamreport.report.chapters import chapters_for
    from kamreport.run.session import open_run

    with timer.part("open_run"):
        run = open_run(run_dir=run_dir)
        view = run.company() if kind == "company" else run.region(name or "")
    with timer.part("cover"):
        kr.show(view)._repr_html_()
    for spec in chapters_for(view.level):
        with timer.part(f"show {spec.id}"):
            chapter = kr.show(view, spec.id)
        with timer.part(f"html {spec.id}"):
            chapter._repr_html_()
    with timer.part("workbook"):
        kr.write_workbook(view, run_dir / f".bench-report-{kind}.xlsx")


def kernel_mode(run_dir: Path, regions: list[str], repeat: int) -> dict[str, Any]:
    """The company and region jobs, ``repeat`` times over, in one warm kernel."""
    from kamreport.run.jobs import Selection, plan_jobs
    from kamreport.run.session import open_run

    run = open_run(run_dir=run_dir)
    jobs = [
        job
        for job in plan_jobs(run, run.layout(), Selection())
        if job.kind == "company" or (job.kind == "region" and job.key in regions)
    ]
    rows, cells = jobs_in_kernel(jobs * repeat)
    kinds = [job.kind for job in jobs * repeat]
    out: dict[str, Any] = {"jobs": len(rows), "first_job": {k: round(v, 4) for k, v in rows[0].items()}}
    for kind in ("company", "region"):
        warm = [i for i in range(1, len(rows)) if kinds[i] == kind]
        out[kind] = by_part([rows[i] for i in warm])
        out[f"{kind}_cells"] = by_part([cells[i] for i in warm])
    return out


def main(argv: list[str] | None = None) -> int:
    """Measure, print and (with ``--out``) write the figures."""
    args = parse_args(argv)
    run_dir = args.run_dir.resolve()
    import kamreport
    from kamreport.run.session import open_run

    started = time.process_time()
    run = open_run(run_dir=run_dir)
    regions = list(run.regions)[: args.regions]
    doc: dict[str, Any] = {
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "kamreport": str(Path(kamreport.__file__).parent),
        "load_average": os.getloadavg(),
        "run_dir": str(run_dir),
        "first_open_cpu": round(time.process_time() - started, 3),
    }
    if args.mode in ("inprocess", "both"):
        doc["inprocess"] = inprocess_mode(run_dir, regions, args.repeat, args.profile)
    if args.mode in ("kernel", "both"):
        doc["kernel"] = kernel_mode(run_dir, regions, args.repeat)
    write_figures(doc, args.out)
    return 0


def inprocess_mode(run_dir: Path, regions: list[str], repeat: int, profile: Path | None) -> dict[str, Any]:
    """The reports' cells in this process, part by part, in CPU seconds."""
    from kamreport.report import html

    timer = Timer(cpu=True)
    timer.wrap(html, "figure_png", "(charts: PNG)")
    timer.wrap(html, "table_html", "(tables: HTML)")
    profiler = cProfile.Profile() if profile else None
    rows: dict[str, list[dict[str, float]]] = {"company": [], "region": []}
    for turn in range(repeat):
        if profiler and turn > 0:
            profiler.enable()
        one_report("company", None, run_dir, timer)
        rows["company"].append(timer.take())
        for region in regions:
            one_report("region", region, run_dir, timer)
            rows["region"].append(timer.take())
        if profiler:
            profiler.disable()
    for kind in rows:
        for row in rows[kind]:
            row["total"] = sum(v for k, v in row.items() if not k.startswith("("))
        (run_dir / f".bench-report-{kind}.xlsx").unlink(missing_ok=True)
    for (owner, attribute), original in timer.originals:  # the timer's wrappers off again
        setattr(owner, attribute, original)
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return {"company": by_part(rows["company"]), "region": by_part(rows["region"])}


if __name__ == "__main__":
    sys.exit(main())
