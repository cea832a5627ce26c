"""What a run records about itself: its input files, each table's rows, the data-quality rows, stage times.

Base-layer records, shared by the data layer (which fills them), the compute stage (which
carries them), and the report and run layers (which show and store them).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd

# The columns of data_quality.csv and of the data-quality chapter: one row per row set
# aside (kind set_aside), per conflict met deriving a master table, per likely duplicate
# customer, or per note about rows kept.
QUALITY_COLUMNS = ["table", "kind", "source_file", "source_row", "reason", "row"]


@dataclass(frozen=True)
class InputFile:
    """One file read by the run, with the file-system facts that say whether its stored hash still holds.

    ``device``, ``inode``, ``size``, ``mtime_ns`` and ``ctime_ns`` are the file's state when
    it was hashed (at ``hashed_ns``); a stored hash is reused only while all five are
    unchanged (:mod:`kamreport.data.inputs`).  Zero where unknown (an older store).

    A table read by a SQL query is recorded the same way (``path`` is ``<connection>: <url>``,
    ``size`` the rows' bytes in Arrow, ``sha256`` the hash of the rows read, see
    :mod:`kamreport.data.sql`), plus the fields below; for a file they are None.
    """

    table: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    ctime_ns: int = 0
    device: int = 0
    inode: int = 0
    hashed_ns: int = 0
    connection: str | None = None  # the data.connections name
    url: str | None = None  # without credentials (a URL with a password is refused)
    query: str | None = None  # the query text, placeholders as written
    bound: dict[str, str] | None = None  # placeholder → the value bound (ISO date)
    rows: int | None = None  # rows the query returned

    @property
    def state(self) -> tuple[int, int, int, int, int]:
        """(device, inode, size, mtime_ns, ctime_ns) when the file was hashed."""
        return (self.device, self.inode, self.size, self.mtime_ns, self.ctime_ns)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> InputFile:
        """The record stored by :meth:`as_dict` (keys it does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def query_record(item: InputFile) -> dict[str, object]:
    """What run.json and params.json say about a table read by a SQL query (no password: the URL holds none)."""
    return {
        "table": item.table,
        "connection": item.connection,
        "url": item.url,
        "query": item.query,
        "bound": item.bound,
        "rows": item.rows,
        "sha256": item.sha256,
    }


@dataclass
class TableReport:
    """What happened to one table's rows."""

    table: str
    files: list[str]
    rows_read: int
    rows_set_aside: int
    reasons: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows_by_rule: int = 0  # set aside by the params' own set_aside rules (e.g. returns), not errors

    @property
    def rows_used(self) -> int:
        """Rows that reach the figures."""
        return self.rows_read - self.rows_set_aside

    @property
    def reject_share(self) -> float:
        """Share of rows set aside as bad input (rows set aside by a params rule are a choice, not an error)."""
        bad = self.rows_set_aside - self.rows_by_rule
        return bad / self.rows_read if self.rows_read else 0.0


def summary_frame(reports: list[TableReport]) -> pd.DataFrame:
    """One row per table: rows read / used / set aside and the main reasons."""
    rows = [
        {
            "table": r.table,
            "rows_read": r.rows_read,
            "rows_used": r.rows_used,
            "rows_set_aside": r.rows_set_aside,
            "reasons": "; ".join(f"{k} ({v:,})" for k, v in Counter(r.reasons).most_common(3)),
        }
        for r in reports
    ]
    return pd.DataFrame(rows, columns=["table", "rows_read", "rows_used", "rows_set_aside", "reasons"])


@dataclass
class StageTimes:
    """Seconds per stage of a run (for run.json and the benchmarks)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block under ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 3)
