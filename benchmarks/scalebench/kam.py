"""The kamreport side: the whole pack on one size's CSV exports, in a child process.

:func:`run_pack` is what the child runs.  It records a *mark* per stage — its start and end on
the shared monotonic clock and the process's exact RSS peak during it — by wrapping, from
outside the package, the stage timer the package already uses (``StageTimes.stage``) and the
pack's render, exports and publish steps.  Nothing in the package changes; the figures of
record are still the package's own (``PackResult.computed.times`` and run.json ``stages``).

With ``plans_limit`` the pack runs twice: first everything but the account plans (company
and region reports; the data stages all run here, ``force=True``), then the first
``plans_limit`` key accounts (largest revenue first) with ``PackOptions(accounts=…)``, which
reuses the results computed by the first run in this process.  Group plans are not rendered
in that mode.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console


@dataclass
class Mark:
    """One stage of one pack run: wall-clock span (monotonic) and the process's RSS peak in it."""

    run: str
    name: str
    start: float
    end: float
    peak_bytes: int | None


@dataclass
class StageMarks:
    """Marks of every stage, recorded by wrappers installed with :meth:`install`."""

    exact_peaks: bool = False
    run: str = ""
    marks: list[Mark] = field(default_factory=list)

    @contextmanager
    def mark(self, name: str) -> Iterator[None]:
        """Record the span of the block under ``name`` (and its RSS peak, when it can be reset)."""
        from scalebench.memory import peak_bytes, reset_peak

        self.exact_peaks = reset_peak()
        start = time.monotonic()
        try:
            yield
        finally:
            peak = peak_bytes() if self.exact_peaks else None
            self.marks.append(Mark(self.run, name, start, time.monotonic(), peak))

    def install(self) -> None:
        """Wrap the package's stage timer and the pack's exports, render and publish steps."""
        from kamreport.records import StageTimes
        from kamreport.run import pack

        timer = StageTimes.stage

        @contextmanager
        def stage(times: StageTimes, name: str) -> Iterator[None]:
            with self.mark(name), timer(times, name):
                yield

        StageTimes.stage = stage  # type: ignore[method-assign]
        pack.write_exports = self._wrapped("exports", pack.write_exports)
        pack._render = self._wrapped("render", pack._render)
        pack.write_manifest = self._wrapped("publish", pack.write_manifest)
        pack._publish = self._wrapped("publish", pack._publish)

    def _wrapped(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with self.mark(name):
                return fn(*args, **kwargs)

        return call


def run_pack(csv_dir: str, work_dir: str, workers: int, plans_limit: int | None) -> dict[str, Any]:
    """Run the pack on ``csv_dir`` into a fresh ``work_dir/output``; every figure as a JSON-able dict."""
    from kamreport.report.views import Run
    from kamreport.run.pack import PackOptions
    from scalebench.datasets import write_params

    marks = StageMarks()
    marks.install()
    work = Path(work_dir)
    output = work / "output"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    console = Console(file=(work / "kamreport.log").open("w", encoding="utf-8"), width=120)
    subset = plans_limit is not None
    first = write_params(work / "params.yaml", Path(csv_dir), output, workers, account_plans=not subset)
    runs = [_one_run("pack" if not subset else "data+company+regions", first, PackOptions(force=True), marks, console)]
    result = runs[0].pop("_result")
    run = Run(result.computed, "en")
    keys, groups = run.key_accounts, run.groups
    if subset:
        plans = write_params(work / "params_plans.yaml", Path(csv_dir), output, workers, account_plans=True)
        chosen = keys[: int(plans_limit)]
        label = f"plans ({len(chosen)} of {len(keys)})"
        runs.append(_one_run(label, plans, PackOptions(accounts=chosen), marks, console))
        runs[1].pop("_result")
    return {
        "mode": "subset" if subset and plans_limit < len(keys) else "full",
        "plans_limit": plans_limit,
        "workers": workers,
        "regions": run.regions,
        "key_accounts": len(keys),
        "groups": len(groups),
        "tables": _table_reports(result.computed),
        "runs": runs,
        "marks": [asdict(m) for m in marks.marks],
        "exact_peaks": marks.exact_peaks,
        "run_dir": str(result.computed.params.run_dir),
    }


def _one_run(label: str, params_file: Path, options: Any, marks: StageMarks, console: Console) -> dict[str, Any]:
    from kamreport.params import load_params
    from kamreport.run.manifest import read_manifest
    from kamreport.run.pack import make_pack

    marks.run = label
    start = time.monotonic()
    params = load_params(params_file)
    result = make_pack(params, options, console)
    end = time.monotonic()
    manifest = read_manifest(params.run_dir)
    return {
        "label": label,
        "start": start,
        "end": end,
        "wall_seconds": round(end - start, 3),
        "exit_code": result.exit_code,
        "results_reused": result.computed.reused,
        "stage_seconds": dict(result.computed.times.seconds),
        "manifest_stages": manifest.get("stages", {}),
        "jobs": [_job(j) for j in result.jobs],
        "_result": result,
    }


def _job(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry.get(k) for k in ("id", "kind", "status", "seconds", "error", "worker")}


def _table_reports(computed: Any) -> dict[str, dict[str, Any]]:
    return {
        r.table: {
            "rows_read": r.rows_read,
            "rows_used": r.rows_used,
            "rows_set_aside": r.rows_set_aside,
            "seconds": round(r.seconds, 3),
        }
        for r in computed.reports
    }


def time_reads(params_file: str) -> dict[str, Any]:
    """Seconds and RSS peak of reading alone (``read_raw``), table by table, the sales lines first."""
    from kamreport.data.sources import read_raw
    from kamreport.params import load_params
    from scalebench.memory import peak_bytes, reset_peak

    params = load_params(Path(params_file))
    tables: dict[str, dict[str, Any]] = {}
    for name in sorted(params.data.tables, key=lambda n: n != "sales"):  # sales first: its peak is its own
        spec = params.data.tables[name]
        exact = reset_peak()
        started = time.perf_counter()
        raw = read_raw(name, spec, params.base_dir)
        seconds = round(time.perf_counter() - started, 3)
        tables[name] = {"seconds": seconds, "rows": raw.rows_read, "peak_bytes": peak_bytes() if exact else None}
        del raw
    return {"tables": tables, "all_tables_seconds": round(sum(t["seconds"] for t in tables.values()), 3)}
