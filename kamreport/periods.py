"""Quarter arithmetic: the run's period ``P`` and its relatives (docs/kpis.md, "Periods and scope").

A period is a calendar quarter written ``YYYYQn``.  :class:`Quarter` is a small, hashable,
ordered value so that facts can be keyed by ``str(quarter)`` and compared by the object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, e.g. ``Quarter(2026, 3)`` is 2026-07-01 .. 2026-09-30."""

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise ValueError(f"quarter number must be 1..4, got {self.q}")

    @classmethod
    def parse(cls, text: str | Quarter) -> Quarter:
        """Read ``2026Q3`` (also ``2026-Q3``, ``2026q3``)."""
        if isinstance(text, Quarter):
            return text
        m = _QUARTER_RE.match(str(text))
        if not m:
            raise ValueError(f"{text!r} is not a quarter; write it as YYYYQn, e.g. 2026Q3")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date | pd.Timestamp) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    def shift(self, n: int) -> Quarter:
        """The quarter ``n`` quarters later (negative: earlier)."""
        index = self.year * 4 + (self.q - 1) + n
        return Quarter(index // 4, index % 4 + 1)

    @property
    def prev(self) -> Quarter:
        """``PQ``: the quarter before."""
        return self.shift(-1)

    @property
    def prior_year(self) -> Quarter:
        """``PY``: the same quarter a year before."""
        return self.shift(-4)

    @property
    def next(self) -> Quarter:
        """``NQ``: the quarter after (planning)."""
        return self.shift(1)

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return self.next.start - timedelta(days=1)

    @property
    def months(self) -> list[str]:
        """The three months as ``YYYY-MM``."""
        first = 3 * (self.q - 1) + 1
        return [f"{self.year}-{m:02d}" for m in range(first, first + 3)]

    def trailing(self, n: int) -> list[Quarter]:
        """The ``n`` quarters ending with this one, oldest first (``T4Q`` is ``trailing(4)``)."""
        return [self.shift(-k) for k in range(n - 1, -1, -1)]


def quarter_of_month(month: str) -> str:
    """``2026-08`` → ``2026Q3``."""
    m = _MONTH_RE.match(month)
    if not m:
        raise ValueError(f"{month!r} is not a month; write it as YYYY-MM")
    return f"{m.group(1)}Q{(int(m.group(2)) - 1) // 3 + 1}"


def normalise_period(value: str) -> str | None:
    """A targets/demand period as ``YYYYQn`` or ``YYYY-MM``; ``None`` when it is neither."""
    text = str(value).strip()
    if _QUARTER_RE.match(text):
        return str(Quarter.parse(text))
    m = _MONTH_RE.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return None


def quarter_labels(dates: pd.Series) -> pd.Series:
    """Vectorised ``YYYYQn`` label of each date (missing dates stay missing)."""
    d = pd.to_datetime(dates)
    labels = d.dt.year.astype("Int64").astype("string") + "Q" + d.dt.quarter.astype("Int64").astype("string")
    return labels.astype("string")
