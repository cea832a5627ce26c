"""One quarterly pack end to end: validate, compute once, render every report, publish."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console

from kamreport.data.validate import RejectLimitError, summary_frame
from kamreport.params import RunParams
from kamreport.run.display import print_summary
from kamreport.run.exports import write_csv, write_exports
from kamreport.run.store import Computed, load_or_compute


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


def compute_stage(params: RunParams, options: PackOptions, console: Console) -> Computed:
    """Validate and compute (or reuse the stored results); on too many rejects, write them and stop."""
    try:
        with console.status("reading and checking the inputs…"):
            computed = load_or_compute(params, lambda msg: console.print(f"  {msg}"), force=options.force)
    except RejectLimitError as exc:
        write_csv(exc.validated.quality, params.run_dir / "data_quality.csv")
        raise
    return computed


def run_pack(params: RunParams, options: PackOptions, console: Console) -> int:
    """Run the pack; returns the exit code (0 all made, 1 some jobs failed)."""
    computed = compute_stage(params, options, console)
    print_summary(console, summary_frame(computed.reports))
    paths = write_exports(computed.results, computed.quality, params.run_dir)
    for name, path in paths.items():
        console.print(f"  {name}: {path}")
    return 0
