"""One render job: a small picklable record, light to import.

A job travels to a render worker (a local process or a Dask worker), which imports this
module to unpickle it: it needs nothing heavier than the output layout, so a worker holds
papermill and its kernel client, not pandas or the params models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kamreport.layout import Level, ReportFiles


@dataclass(frozen=True)
class Job:
    """One report to render."""

    kind: Level
    key: str
    name: str
    notebook: Path
    parameters: dict[str, object]
    files: ReportFiles
    title: str
    language: str
    html: bool = True
    timeout: int = 120
    cwd: str = field(default="", compare=False)
    render_key: str = field(default="", compare=False)
    kernel_group: str = field(default="", compare=False)  # a warm kernel runs the jobs of one group only

    @property
    def id(self) -> str:
        """Stable identifier, e.g. ``region:East``."""
        return f"{self.kind}:{self.key}"
