"""run.json: what a run read, what it made, how long each step took — the run's manifest."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamreport.compute import Computed
from kamreport.files import write_text
from kamreport.records import query_record

if TYPE_CHECKING:  # the data pass writes run.json without importing the render machinery
    from kamreport.run.executor import JobResult
    from kamreport.run.job import Job

MANIFEST = "run.json"
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
    """The run.json of a previous run in ``run_dir`` (empty when there is none)."""
    path = run_dir / MANIFEST
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


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
) -> Path:
    """Write run.json: params, inputs (path, sha256, rows read / used / set aside), versions, jobs.

    Written again as each job finishes (``complete`` false until the end): after a crash or
    ``kill -9`` it still lists every job that finished, and ``--resume`` reruns only the others.
    Those interim writes are compact JSON (the C encoder: an indented dump is pure Python, and
    the list grows with every job — seconds of the pack's CPU at a few hundred jobs); the
    final one is indented for people.
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
    write_text(path, json.dumps(doc, indent=1 if complete else None, ensure_ascii=False, default=str))
    return path
