"""One quarterly pack end to end: validate, compute once, render every report, publish."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from kamreport.compute import Computed
from kamreport.errors import RejectLimitError
from kamreport.params import RunParams
from kamreport.records import summary_frame
from kamreport.report.views import Run
from kamreport.run.display import plain, print_summary
from kamreport.run.exports import write_csv, write_exports, write_history, write_quality
from kamreport.run.job import Job
from kamreport.run.jobs import Selection, check_outputs, plan_jobs
from kamreport.run.lock import run_lock
from kamreport.run.manifest import Journal, is_current, job_entry, read_manifest, write_manifest
from kamreport.run.session import save_run_params
from kamreport.run.store import lighten, load_or_compute, release_memory, stored_frame

if TYPE_CHECKING:
    from kamreport.layout import Layout
    from kamreport.run.executor import JobResult

# The render machinery (papermill, nbclient, matplotlib …) and the index page are imported
# when they are used: the data pass (`--only data`, `kamreport validate`) never loads them.


@dataclass
class PackOptions:
    """What the command line selects."""

    regions: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    workers: int | None = None
    only: list[str] | None = None
    resume: bool = False
    force: bool = False
    scheduler: str | None = None
    notebooks_dir: Path | None = None


@dataclass
class PackResult:
    """What a pack made: the computed run, every job's record, the exit code."""

    computed: Computed
    jobs: list[dict[str, Any]]
    exit_code: int
    index: Path | None = None


def compute_stage(params: RunParams, options: PackOptions, console: Console) -> Computed:
    """Validate and compute (or reuse the stored results); on too many rejects, write them and stop."""
    try:
        with console.status("reading and checking the inputs…"):
            return load_or_compute(params, lambda msg: console.print(plain(f"  {msg}")), force=options.force)
    except RejectLimitError as exc:
        write_csv(exc.quality, params.run_dir / "data_quality.csv")
        raise


def run_pack(params: RunParams, options: PackOptions, console: Console) -> int:
    """Run the pack and report on the console; returns the exit code (0 all made, 1 some jobs failed)."""
    return make_pack(params, options, console).exit_code


def make_pack(params: RunParams, options: PackOptions, console: Console) -> PackResult:
    """Validate, compute once, render the selected reports in parallel, publish the run folder.

    The run folder is locked for the whole run (:func:`kamreport.run.lock.run_lock`): a second
    run on it stops at once with exit code 2.

    Raises
    ------
    InputError
        Bad input, params or selection (``--only``, ``--region``, ``--account``), an
        unwritable output folder, or another run holding the folder.
    """
    outputs = tuple(options.only or params.render.only)
    check_outputs(outputs)
    with run_lock(params.run_dir):
        return _make_pack(params, options, console, outputs)


def _make_pack(params: RunParams, options: PackOptions, console: Console, outputs: tuple[str, ...]) -> PackResult:
    started = datetime.now()
    computed = compute_stage(params, options, console)
    print_summary(console, summary_frame(computed.reports))
    run = Run(computed, params.language)
    layout = run.layout()
    selection = Selection(tuple(options.regions), tuple(options.accounts), outputs)
    jobs = plan_jobs(run, layout, selection, options.notebooks_dir or _notebooks_dir(params))

    stage_seconds: dict[str, float] = {}
    run_dir = params.run_dir
    clock = time.perf_counter()
    if "data" in outputs:
        write_exports(computed.results, computed.quality, run_dir)
        write_history(computed.results, run_dir, stored_frame(computed, "history"))
    else:  # the rows set aside are listed whatever the run renders (not only by `kamreport validate`)
        write_quality(computed.quality, run_dir)
    save_run_params(params, computed.inputs)
    stage_seconds["exports"] = round(time.perf_counter() - clock, 3)

    previous = {j["id"]: j for j in read_manifest(run_dir).get("jobs", [])}
    todo = [j for j in jobs if not (options.resume and is_current(j, previous.get(j.id), run_dir))]
    kept = [previous[j.id] for j in jobs if j not in todo]
    if todo:  # the render kernels read the store themselves: this process keeps only what it reads again
        computed = lighten(computed)
        run = Run(computed, params.language)
        release_memory()

    journal = Journal(run_dir)
    write_manifest(computed, kept, started, stage_seconds, complete=False, journal=journal.token)
    clock = time.perf_counter()
    with journal:
        records = _render(todo, params, options, console, computed.key, journal.add) if todo else []
    stage_seconds["render"] = round(time.perf_counter() - clock, 3)
    order = {job.id: i for i, job in enumerate(jobs)}
    entries = sorted(kept + records, key=lambda r: order[r["id"]])

    clock = time.perf_counter()
    index = _publish(run, layout, entries)
    stage_seconds["publish"] = round(time.perf_counter() - clock, 3)
    write_manifest(computed, entries, started, stage_seconds)
    journal.finish()  # run.json lists every job now

    failed = [e for e in entries if e["status"] != "ok"]
    if kept:
        console.print(f"  {len(kept)} job(s) already done, kept (--resume)")
    if options.resume and todo:
        console.print(f"  {len(todo)} job(s) missing, failed or stale, made again (--resume)")
    console.print(plain(f"run folder: {run_dir}  ·  {index.name}"))
    if failed:
        console.print(f"[bold red]{len(failed)} report(s) failed:[/]")
        for entry in failed:
            notebook = entry.get("files", {}).get("ipynb", "")
            console.print(plain(f"  {entry['id']}: {entry.get('error')}  (executed notebook: {notebook})"))
    return PackResult(computed, entries, 1 if failed else 0, index)


def _publish(run: Run, layout: Layout, entries: list[dict[str, Any]]) -> Path:
    """index.html (:func:`kamreport.run.publish.write_index`)."""
    from kamreport.run.publish import write_index

    return write_index(run, layout, entries)


def _notebooks_dir(params: RunParams) -> Path | None:
    if params.render.notebooks_dir is None:
        return None
    return (params.params_dir / params.render.notebooks_dir).resolve()


def _render(
    jobs: list[Job],
    params: RunParams,
    options: PackOptions,
    console: Console,
    results_key: str,
    journal: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    """Render ``jobs``; each finished job is recorded at once (``journal``, read back by ``--resume``)."""
    from kamreport.run.executor import run_dask, run_local

    workers = options.workers or params.render.workers or os.cpu_count() or 1
    reuse = params.render.reuse_kernels
    if options.scheduler:
        results = run_dask(jobs, options.scheduler, reuse)
        where = f"Dask cluster {options.scheduler}"
    else:
        results = run_local(jobs, workers, reuse)
        where = f"{min(workers, len(jobs))} local worker(s)"
    by_id = {job.id: job for job in jobs}
    records: list[dict[str, Any]] = []
    columns = (
        TextColumn("rendering"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("·"),
        TimeElapsedColumn(),
        TextColumn("· ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),  # job ids carry account ids: never markup
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"on {where}", total=len(jobs))
        for result in results:
            records.append(job_entry(by_id[result.job_id], result, params.run_dir, results_key))
            journal(records[-1])
            progress.update(task, advance=1, description=_describe(result))
    return records


def _describe(result: JobResult) -> str:
    mark = "ok" if result.status == "ok" else "FAILED"
    return f"{result.job_id} {mark} ({result.seconds:.1f} s)"
