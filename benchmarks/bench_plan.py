"""One account plan end to end, part by part (issue 18, goal 3).

    .venv/bin/python benchmarks/bench_plan.py RUN_DIR [--plans 20] [--mode kernel|inprocess|both]
                                              [--profile plan.prof] [--out results/plan.json]

``RUN_DIR`` is a run folder made by ``kamreport run`` (``params.json`` and a fresh results
store).  Two measures on the first ``--plans`` key accounts (largest revenue first):

* **kernel**: the jobs as the pack runs them (:func:`kamreport.run.executor.render_job`) one
  after another in one warm kernel, as one render worker does; each job's wall seconds split
  into the kernel start, papermill (the notebook's cells, with papermill's per-cell durations)
  and the HTML export, and its CPU seconds in the kernel and in this process (the steadier
  measure on a busy machine).  The first job (kernel start and imports) is left out of the
  statistics.
* **inprocess**: what the notebook's cells do, called in this process without a kernel —
  each chapter's section and charts (``kr.show``), its HTML with the charts encoded as PNG
  (``_repr_html_``; the charts and the tables also timed apart) and the workbook — in CPU
  seconds, so the kernel's and papermill's share is the difference.  ``--profile`` writes a
  cProfile of this part.

Both outputs go into the run folder (the plans' own files are overwritten).  Timing is measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a run folder made by `kamreport run`")
    parser.add_argument("--plans", type=int, default=20, help="key accounts (largest revenue first)")
    parser.add_argument("--mode", choices=["kernel", "inprocess", "both"], default="both")
    parser.add_argument("--language", choices=["en", "zh"], default=None, help="default: the run's")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile of the in-process part")
    parser.add_argument("--out", type=Path, default=None, help="JSON of the figures")
    return parser.parse_args(argv)


class Timer:
    """Seconds per named part, summed over repeated entries within one plan.

    ``cpu``: this process's CPU seconds (user + system) instead of wall seconds, the steadier
    measure on a machine other jobs keep busy.
    """

    def __init__(self, cpu: bool = False) -> None:
        self.clock = time.process_time if cpu else time.perf_counter
        self.current: dict[str, float] = defaultdict(float)
        self.originals: list[tuple[tuple[Any, str], Any]] = []

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        """Time the block under ``name``."""
        started = self.clock()
        try:
            yield
        finally:
            self.current[name] += self.clock() - started

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        """Time every call of ``owner.attribute`` under ``name``."""
        original: Callable[..., Any] = getattr(owner, attribute)
        self.originals.append(((owner, attribute), original))

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.part(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)

    def take(self) -> dict[str, float]:
        """This plan's parts, and start the next."""
        done = dict(self.current)
        self.current = defaultdict(float)
        return done


def stats(values: list[float]) -> dict[str, float]:
    """Median, mean, min and max, rounded."""
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 4),
        "mean": round(statistics.fmean(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def by_part(rows: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each part's statistics over the plans."""
    names = sorted({name for row in rows for name in row}, key=lambda n: -statistics.fmean(r.get(n, 0) for r in rows))
    return {name: stats([row.get(name, 0.0) for row in rows]) for name in names}


def kernel_mode(run_dir: Path, accounts: list[str], language: str | None) -> dict[str, Any]:
    """The pack's render jobs for ``accounts`` in one warm kernel, part by part."""
    from kamreport.report.views import Run
    from kamreport.run.jobs import Selection, plan_jobs
    from kamreport.run.session import open_run

    run: Run = open_run(run_dir=run_dir, language=language)  # type: ignore[arg-type]
    jobs = plan_jobs(run, run.layout(), Selection(accounts=tuple(accounts)))
    rows, cells = jobs_in_kernel(jobs)
    warm = rows[1:] if len(rows) > 1 else rows
    return {
        "plans": len(rows),
        "first_job": {k: round(v, 4) for k, v in rows[0].items()},
        "warm": by_part(warm),
        "cells": by_part(cells[1:] if len(cells) > 1 else cells),
    }


def jobs_in_kernel(jobs: list[Any]) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Render ``jobs`` one after another in one warm kernel as a render worker does.

    Returns each job's parts (wall seconds, and CPU seconds in the kernel and in this process)
    and papermill's per-cell seconds.
    """
    import papermill as pm

    from kamreport.report import export
    from kamreport.run import executor

    timer = Timer()
    timer.wrap(executor.KernelSession, "_start", "kernel start")
    timer.wrap(pm, "execute_notebook", "papermill")
    timer.wrap(export, "export_html", "html export")
    executor.register_engine()
    rows, cells = [], []
    for job in jobs:
        kernel_cpu = _kernel_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        result = executor.render_job(job)
        total = time.perf_counter() - started
        client_cpu = time.process_time() - cpu
        if result.status != "ok":
            raise SystemExit(f"{job.id} failed: {result.error}")
        parts = timer.take()
        parts["other"] = total - sum(parts.values())
        parts["job (run.json seconds)"] = result.seconds
        parts["CPU: kernel"] = _kernel_cpu() - kernel_cpu if kernel_cpu else float("nan")
        parts["CPU: worker"] = client_cpu
        parts["CPU: kernel + worker"] = parts["CPU: kernel"] + client_cpu
        rows.append(parts)
        cells.append(cell_durations(job.files.ipynb))
    for name, original in timer.originals:
        setattr(*name, original)
    executor._session(True).shutdown()
    return rows, cells


def _kernel_cpu() -> float:
    """CPU seconds (user + system) the warm kernel process has used so far; 0 before it starts."""
    from kamreport.run import executor

    session = executor._SESSION
    pid = getattr(getattr(session.km, "provisioner", None), "pid", None) if session and session.km else None
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cell_durations(ipynb: Path) -> dict[str, float]:
    """Papermill's duration of each code cell of an executed notebook (by its first line)."""
    doc = json.loads(ipynb.read_text(encoding="utf-8"))
    out: dict[str, float] = {}
    for i, cell in enumerate(doc["cells"]):
        if cell["cell_type"] != "code":
            continue
        first = "".join(cell["source"]).strip().splitlines()
        label = f"{i:02d} {first[-1][:50] if first else ''}"
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if duration is not None:
            out[label] = float(duration)
    return out


def inprocess_mode(run_dir: Path, accounts: list[str], language: str | None, profile: Path | None) -> dict[str, Any]:
    """What the plan notebook's cells do, in this process, part by part."""
    import kamreport as kr
    from kamreport.report import html
    from kamreport.report.chapters import chapters_for
    from kamreport.run.session import open_run

    timer = Timer(cpu=True)
    timer.wrap(html, "figure_png", "charts: PNG")
    timer.wrap(html, "table_html", "tables: HTML")
    with timer.part("open_run (first)"):
        run = open_run(run_dir=run_dir, language=language)  # type: ignore[arg-type]
    first = timer.take()
    ids = [spec.id for spec in chapters_for("account")]
    profiler = cProfile.Profile() if profile else None
    rows = []
    workbook = run_dir / ".bench-plan.xlsx"
    for account in accounts:
        if profiler:
            profiler.enable()
        with timer.part("open_run"):
            run = open_run(run_dir=run_dir, language=language)  # type: ignore[arg-type]
            view = run.account(account)
        with timer.part("cover"):
            kr.show(view)._repr_html_()
        for chapter_id in ids:
            with timer.part("show: sections + charts"):
                chapter = kr.show(view, chapter_id)
            with timer.part("_repr_html_"):
                chapter._repr_html_()
        with timer.part("workbook"):
            kr.write_workbook(view, workbook)
        if profiler:
            profiler.disable()
        rows.append(timer.take())
    workbook.unlink(missing_ok=True)
    if profiler and profile:
        profiler.dump_stats(str(profile))
    for row in rows:
        row["total"] = sum(v for k, v in row.items() if k not in ("charts: PNG", "tables: HTML"))
    return {"plans": len(rows), "first": first, "parts": by_part(rows)}


def write_figures(doc: dict[str, Any], out: Path | None) -> None:
    """Add the load average after the measures to ``doc``, print it and (with ``out``) write it as JSON."""
    doc["load_average_after"] = os.getloadavg()
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure, print and (with ``--out``) write the figures."""
    args = parse_args(argv)
    run_dir = args.run_dir.resolve()
    from kamreport.run.session import open_run

    run = open_run(run_dir=run_dir)
    accounts = run.key_accounts[: args.plans]
    doc: dict[str, Any] = {
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "load_average": os.getloadavg(),
        "cpu_seconds_before": time.process_time(),
        "run_dir": str(run_dir),
        "accounts": len(run.accounts),
        "key_accounts": len(run.key_accounts),
    }
    if args.mode in ("inprocess", "both"):
        doc["inprocess"] = inprocess_mode(run_dir, accounts, args.language, args.profile)
    if args.mode in ("kernel", "both"):
        doc["kernel"] = kernel_mode(run_dir, accounts, args.language)
    write_figures(doc, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
