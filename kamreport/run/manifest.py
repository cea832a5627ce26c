"""run.json: what a run read, what it made, how long each step took — the run's manifest."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from kamreport.compute import Computed
from kamreport.files import write_text
from kamreport.records import query_record

if TYPE_CHECKING:  # the data pass writes run.json without importing the render machinery
    from kamreport.run.executor import JobResult
    from kamreport.run.job import Job

MANIFEST = "run.json"
# While a run renders, each finished job is one line appended here; run.json names the journal
# (its token) until the run ends, when run.json lists every job and the journal goes.
JOURNAL = ".run.journal.jsonl"
PACKAGES = (
    "kamreport",
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
    "adbc-driver-postgresql",
    "pandera",
    "pydantic",
    "XlsxWriter",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbclient",
    "nbconvert",
    "ipykernel",
)


@cache
def package_versions() -> dict[str, str]:
    """Installed versions of kamreport and the packages that shape its outputs."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """The run.json of a previous run in ``run_dir`` (empty when there is none).

    A run that did not finish (killed, crashed) left run.json with ``complete`` false and its
    finished jobs in the journal that run.json names: they are read back into ``jobs`` here.
    """
    path = run_dir / MANIFEST
    if not path.is_file():
        return {}
    doc = dict(json.loads(path.read_text(encoding="utf-8")))
    token = doc.get("journal")
    if not doc.get("complete") and token:
        jobs = {j["id"]: j for j in doc.get("jobs", [])}
        jobs.update((j["id"], j) for j in read_journal(run_dir, str(token)))
        doc["jobs"] = list(jobs.values())
        doc["failed"] = [j["id"] for j in doc["jobs"] if j["status"] != "ok"]
    return doc


def read_journal(run_dir: Path, token: str) -> list[dict[str, Any]]:
    """The jobs recorded in ``run_dir``'s journal, if it is the one with ``token`` (else none).

    A journal of another run (another token) is ignored, and reading stops at the first line
    that is not whole (a write cut short by a crash): a job missing from it is made again by
    ``--resume``, never kept on a guess.
    """
    path = run_dir / JOURNAL
    if not path.is_file():
        return []
    entries: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if not line.endswith("\n"):
                break
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                break
            if number == 0:
                if record != {"journal": token}:
                    return []
                continue
            entries.append(record)
    return entries


class Journal:
    """The journal of a rendering run: one JSON line per finished job, appended and flushed.

    Rewriting run.json whole after each job cost time in the square of the jobs (its job
    list grows with each): about 65 s of the pack's CPU over a 10 M quarter's 4,538 jobs,
    taken from the render workers on a 2-core machine.  A line costs the same whatever
    the count.  The first line is the token run.json names, so a journal left by another
    run is never read as this one's.
    """

    def __init__(self, run_dir: Path) -> None:
        self.token = uuid.uuid4().hex
        self.path = run_dir / JOURNAL
        self._file: IO[str] | None = None

    def open(self) -> Journal:
        """Start the journal (empty but for its token); run.json must name the token before jobs go in."""
        self._file = self.path.open("w", encoding="utf-8")
        self._write({"journal": self.token})
        return self

    def add(self, entry: dict[str, Any]) -> None:
        """Record one finished job."""
        self._write(entry)

    def _write(self, record: dict[str, Any]) -> None:
        assert self._file is not None, "Journal.open() first"
        self._file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self._file.flush()

    def finish(self) -> None:
        """Close and remove the journal (once run.json lists every job)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self.open()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._file is not None:  # left in place on an error: run.json still names it for --resume
            self._file.close()
            self._file = None


def job_entry(job: Job, result: JobResult, run_dir: Path, results_key: str) -> dict[str, Any]:
    """One job's record: what it is, how it ended, its files (relative to the run folder), what it was made from.

    ``results_key`` and ``render_key`` (:func:`kamreport.run.jobs.render_key`) let ``--resume``
    tell a report made from today's inputs, params and notebooks from a stale one.
    """
    files = {kind: getattr(job.files, kind) for kind in ("xlsx", "html", "ipynb")}
    return {
        "id": job.id,
        "kind": job.kind,
        "key": job.key,
        "name": job.name,
        "status": result.status,
        "seconds": result.seconds,
        "error": result.error,
        "worker": result.worker,
        "files": {k: p.relative_to(run_dir).as_posix() for k, p in files.items() if p.exists()},
        "results_key": results_key,
        "render_key": job.render_key,
    }


def _records(frame: Any) -> list[dict[str, Any]]:
    """A small frame as JSON-ready rows."""
    return list(json.loads(frame.to_json(orient="records", force_ascii=False)))


def is_current(job: Job, entry: dict[str, Any] | None, run_dir: Path) -> bool:
    """Whether ``entry`` (from run.json) is ``job`` made from the current results and render inputs, files intact."""
    if not entry or entry.get("status") != "ok" or not job.render_key or entry.get("render_key") != job.render_key:
        return False
    wanted = [job.files.ipynb] + ([job.files.html] if job.html else [])
    if job.parameters.get("write_workbook"):
        wanted.append(job.files.xlsx)
    return all(p.is_file() for p in wanted)


def write_manifest(
    computed: Computed,
    jobs: list[dict[str, Any]],
    started: datetime,
    stage_seconds: dict[str, float],
    complete: bool = True,
    journal: str | None = None,
) -> Path:
    """Write run.json: params, inputs (path, sha256, rows read / used / set aside), versions, jobs.

    Written before the render with ``complete`` false, the jobs kept by ``--resume`` and the
    token of the :class:`Journal` each finished job is appended to (``journal``): after a crash
    or ``kill -9``, :func:`read_manifest` lists every job that finished, and ``--resume`` reruns
    only the others.  Written again whole, indented for people, when the run ends.
    """
    params = computed.params
    reports = {r.table: r for r in computed.reports}
    inputs = []
    for item in computed.inputs:
        report = reports.get(item.table)
        entry: dict[str, Any] = {
            "table": item.table,
            "path": item.path,
            "size": item.size,
            "sha256": item.sha256,
            "rows_read": report.rows_read if report else None,
            "rows_used": report.rows_used if report else None,
            "rows_set_aside": report.rows_set_aside if report else None,
        }
        if item.connection is not None:  # a SQL table: what was queried, and how many rows came back
            entry.update(query_record(item))
        inputs.append(entry)
    tables = {
        r.table: {
            "rows_read": r.rows_read,
            "rows_used": r.rows_used,
            "rows_set_aside": r.rows_set_aside,
            "rows_by_rule": r.rows_by_rule,
            "reasons": r.reasons,
        }
        for r in computed.reports
    }
    doc = {
        "run": params.name,
        "period": params.period,
        "params_file": params.source,
        "params": params.model_dump(mode="json", exclude={"source"}),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().isoformat(timespec="seconds") if complete else None,
        "complete": complete,
        **({"journal": journal} if journal and not complete else {}),
        "results_key": computed.key,
        "results_reused": computed.reused,
        "data_as_of": computed.facts.as_of,
        "accounts_merged": _records(computed.facts.merged),
        "stages": {**computed.times.seconds, **stage_seconds},
        "inputs": inputs,
        "tables": tables,
        "versions": package_versions(),
        "jobs": jobs,
        "failed": [j["id"] for j in jobs if j["status"] != "ok"],
    }
    path = params.run_dir / MANIFEST
    write_text(path, json.dumps(doc, indent=1, ensure_ascii=False, default=str))
    return path
