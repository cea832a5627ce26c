"""The contract's tables as typed columns: Arrow types, every column present, pandas when asked.

A validated table is held as Arrow in the contract's types (:data:`ARROW_TYPES`); pandas
gets it in the contract's dtypes (:data:`kamreport.contract.DTYPES`) through
:func:`to_frame`, and :class:`Tables` converts each table only when pandas asks for it, so
that the ten million sales lines go from the reader to DuckDB without becoming pandas
objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pandas as pd
import pyarrow as pa

from kamreport.contract import DTYPES, Table

TEXT = pa.large_string()
TIMESTAMP = pa.timestamp("us")
# The Arrow type of each contract kind (pandas: kamreport.contract.DTYPES).
ARROW_TYPES: dict[str, pa.DataType] = {
    "str": TEXT,
    "enum": TEXT,
    "period": TEXT,
    "quarter": TEXT,
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
    "date": TIMESTAMP,
}
_PANDAS_TYPES = {
    TEXT: pd.StringDtype(),
    pa.string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def present_columns(columns: Iterable[str], table: Table) -> list[str]:
    """The contract columns among ``columns`` (those the source really has), in contract order.

    Recorded before :func:`complete_columns` adds the others, so that a KPI over a column the
    company does not supply comes out missing rather than zero.
    """
    given = set(columns)
    return [c for c in table.names if c in given]


def complete_columns(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Every contract column, in contract order; a column the source lacks is all missing."""
    for col in table.columns:
        if col.name not in frame.columns:
            frame[col.name] = pd.Series(index=frame.index, dtype=DTYPES[col.kind])
    return frame[table.names]


def complete_arrow(data: pa.Table, table: Table) -> pa.Table:
    """:func:`complete_columns` for an Arrow table."""
    columns = [
        data.column(col.name) if col.name in data.column_names else pa.nulls(data.num_rows, ARROW_TYPES[col.kind])
        for col in table.columns
    ]
    return pa.table(columns, names=table.names)


def to_frame(data: pa.Table, table: Table | None = None) -> pd.DataFrame:
    """An Arrow table as pandas in the contract's dtypes (text ``string``, integers ``Int64`` …)."""
    frame = data.to_pandas(types_mapper=_PANDAS_TYPES.get)
    if table is not None:
        for col in table.columns:  # a column of nulls only keeps its kind's dtype
            if col.name in frame and frame[col.name].dtype == object:
                frame[col.name] = frame[col.name].astype(DTYPES[col.kind])
    result: pd.DataFrame = frame
    return result


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """A pandas table as Arrow (DuckDB scans Arrow zero-copy and in parallel)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


class Tables(Mapping[str, pd.DataFrame]):
    """Validated tables by name, each held as Arrow or pandas and converted only when the other is asked for."""

    def __init__(self, contents: Mapping[str, pa.Table | pd.DataFrame] | None = None) -> None:
        self._arrow: dict[str, pa.Table] = {}
        self._frames: dict[str, pd.DataFrame] = {}
        self._order: list[str] = []
        for name, value in (contents or {}).items():
            self[name] = value

    def __setitem__(self, name: str, value: pa.Table | pd.DataFrame) -> None:
        self._arrow.pop(name, None)
        self._frames.pop(name, None)
        if isinstance(value, pa.Table):
            self._arrow[name] = value
        else:
            self._frames[name] = value
        if name not in self._order:
            self._order.append(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name not in self._arrow:
                raise KeyError(name)
            self._frames[name] = to_frame(self._arrow[name])
        return self._frames[name]

    def arrow(self, name: str) -> pa.Table:
        """The table as Arrow."""
        if name not in self._arrow:
            self._arrow[name] = to_arrow(self[name])
        return self._arrow[name]

    def drop(self, name: str) -> None:
        """Forget a table (both forms), so that its memory can be given back."""
        self._arrow.pop(name, None)
        self._frames.pop(name, None)
        self._order.remove(name)

    def num_rows(self, name: str) -> int:
        """Rows of a table, without converting it."""
        return self._arrow[name].num_rows if name in self._arrow else len(self._frames[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order


def release_arrow_memory() -> None:
    """Give the memory of Arrow tables no longer referenced back to the system.

    Arrow's allocator keeps freed blocks for reuse by Arrow; pandas and numpy, which allocate
    elsewhere, cannot use them — so after the validated lines are dropped the run's peak
    would otherwise still count them.
    """
    pa.default_memory_pool().release_unused()
