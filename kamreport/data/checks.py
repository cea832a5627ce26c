"""The contract's checks on parsed columns: required values present, ranges, enums, plausible event dates.

Each check is a vectorised predicate over an Arrow column, read from the column's
declaration in :mod:`kamreport.contract` (``required``, ``ge``, ``gt``, ``le``, ``values``,
``event``) — the one place the contract is written.  Only the rows that fail become pandas:
each gets its reason, in the order a reader expects (column by column, in contract order;
for a column, empty first, then its ranges and values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import Column, Table
from kamreport.data.schema import TEXT

_PART_COLUMNS = ["category", "reason", "column", "soft"]


@dataclass
class Rejects:
    """Problems found in rows of one table (row position → category, reason, column, soft).

    ``column`` names the field at fault (none for a whole-row problem such as a duplicate);
    ``soft`` marks a problem that only blanks an optional field (a lookup with no match).
    """

    parts: list[pd.DataFrame] = field(default_factory=list)

    def add(
        self,
        index: pd.Index | np.ndarray,
        category: str,
        reason: pd.Series | np.ndarray | list[str] | str,
        column: str | None = None,
        soft: bool = False,
    ) -> None:
        """Record ``category`` and ``reason`` (one, or one per row) for the rows at ``index``."""
        if len(index) == 0:
            return
        reasons = [reason] * len(index) if isinstance(reason, str) else np.asarray(reason, dtype=object)
        part = {"category": category, "reason": reasons, "column": column, "soft": soft}
        self.parts.append(pd.DataFrame(part, index=pd.Index(np.asarray(index, dtype=np.int64))))

    def frame(self) -> pd.DataFrame:
        """Every problem, in the order found (index: row position)."""
        if not self.parts:
            return pd.DataFrame(columns=_PART_COLUMNS, index=pd.Index([], dtype=np.int64))
        return pd.concat(self.parts)


def mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow column as numpy, missing as False."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return np.asarray(values.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def is_in_text(values: pa.Array | pa.ChunkedArray, allowed: pa.Array) -> pa.Array | pa.ChunkedArray:
    """Whether each text value is one of ``allowed`` (missing: missing).

    Dictionary-encoded text is looked up once per code of each distinct dictionary (chunks
    usually share one: ``chunk.dictionary`` is a new Python object at each call, so chunks
    are told apart by their dictionary's buffers).
    """
    if pa.types.is_dictionary(values.type):
        chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
        found: dict[tuple[int, ...], pa.Array] = {}
        parts = []
        for chunk in chunks:
            dictionary = chunk.dictionary
            key = (dictionary.offset, len(dictionary), *(b.address if b else 0 for b in dictionary.buffers()))
            if key not in found:
                found[key] = pc.is_in(pc.cast(dictionary, TEXT), value_set=allowed)
            parts.append(pc.take(found[key], chunk.indices))
        return pa.chunked_array(parts, type=pa.bool_())
    return pc.is_in(pc.cast(values, TEXT), value_set=allowed)


def _checks(col: Column) -> list[tuple[str, str, object]]:
    """(name, Arrow predicate that fails, bound) of a column's value checks, in declaration order."""
    found: list[tuple[str, str, object]] = []
    if col.ge is not None:
        found.append((f"{col.name} below {col.ge:g}", "less", col.ge))
    if col.gt is not None:
        found.append((f"{col.name} not above {col.gt:g}", "less_equal", col.gt))
    if col.le is not None:
        found.append((f"{col.name} above {col.le:g}", "greater", col.le))
    if col.values:
        found.append((f"{col.name} not one of {', '.join(col.values)}", "not_in", col.values))
    return found


def check_values(data: pa.Table, table: Table, rejects: Rejects, unreadable: dict[str, np.ndarray]) -> None:
    """Required values present and values within their ranges and enums, column by column.

    ``unreadable``: per column, the rows whose value could not be read — already set aside
    for that, so not also reported as empty.
    """
    for col in table.columns:
        if col.name not in data.column_names:
            continue
        values = data.column(col.name)
        if col.required:
            empty = mask(pc.is_null(values))
            if col.name in unreadable:
                empty &= ~unreadable[col.name]
            rejects.add(np.flatnonzero(empty), f"{col.name}: empty", f"{col.name}: empty (required)", col.name)
        for name, predicate, bound in _checks(col):
            if predicate == "not_in":
                allowed = pa.array(list(bound), type=TEXT)  # type: ignore[call-overload]
                failing = pc.and_(pc.is_valid(values), pc.invert(is_in_text(values, allowed)))  # missing: not wrong
            else:
                failing = getattr(pc, predicate)(values, pa.scalar(float(bound)))  # type: ignore[arg-type]
            where = np.flatnonzero(mask(failing))
            if len(where):
                shown = values.take(pa.array(where)).to_pylist()
                rejects.add(where, name, [f"{name}: '{v}'" for v in shown], col.name)


def check_dates(
    data: pa.Table, table: Table, low: pd.Timestamp, end: pd.Timestamp, days: int, rejects: Rejects
) -> None:
    """Event dates outside the plausible window.

    Before ``low`` (validation.min_date) or more than ``days`` after ``end``.
    """
    high = end + pd.Timedelta(days=days)
    for column in table.event_dates:
        if column not in data.column_names:
            continue
        values = data.column(column)
        for outside, bound in ((pc.less, low), (pc.greater, high)):
            where = np.flatnonzero(mask(outside(values, pa.scalar(bound.to_pydatetime(), type=values.type))))
            if not len(where):
                continue
            shown = pd.Series(values.take(pa.array(where)).to_pandas()).dt.strftime("%Y-%m-%d").to_numpy()
            if bound is low:
                reasons = [f"{column}: {d} is before {low:%Y-%m-%d} (validation.min_date)" for d in shown]
            else:
                reasons = [
                    f"{column}: {d} is more than {days} days after the period's end {end:%Y-%m-%d} "
                    "(validation.max_days_after_period)"
                    for d in shown
                ]
            rejects.add(where, f"{column}: implausible date", reasons, column)
