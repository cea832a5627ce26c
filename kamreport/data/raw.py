"""A table as read from its files: the source columns, values as written, and where each row came from.

Files read as Arrow (CSV text, Parquet, a database's rows) stay Arrow: a ten-million-line
export is never turned into pandas objects; only the rows a person must see (those set aside)
are.  Excel cells, which mix numbers, dates and text in one column, are held as pandas
object columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

SOURCE_FILE = "_source_file"
SOURCE_ROW = "_source_row"
META = [SOURCE_FILE, SOURCE_ROW]
BAD_LINE_COLUMNS = [SOURCE_FILE, SOURCE_ROW, "reason", "text"]


def _no_bad_lines() -> pd.DataFrame:
    return pd.DataFrame(columns=BAD_LINE_COLUMNS)


@dataclass
class RawTable:
    """A table as read: source columns plus, per row, its file and row number.

    ``data`` holds the source columns (Arrow, or pandas object columns for Excel);
    ``rows`` the row number of each row in its file and ``file_codes`` which of ``origins``
    (the files, or a query's connection) it was read from.  ``bad_lines`` are CSV lines that
    do not split into the header's fields; they count as read and are set aside whole.
    """

    name: str
    data: pa.Table | pd.DataFrame
    files: list[Path]
    rows: np.ndarray
    file_codes: np.ndarray
    origins: list[str] = field(default_factory=list)
    bad_lines: pd.DataFrame = field(default_factory=_no_bad_lines)

    def __post_init__(self) -> None:
        if not self.origins:
            self.origins = [str(f) for f in self.files]

    @property
    def num_rows(self) -> int:
        """Data rows read (good lines)."""
        return len(self.rows)

    @property
    def rows_read(self) -> int:
        """Data rows in the files, good or bad."""
        return self.num_rows + len(self.bad_lines)

    @property
    def source_columns(self) -> list[str]:
        """The columns as the files name them."""
        return [str(c) for c in (self.data.column_names if isinstance(self.data, pa.Table) else self.data.columns)]

    def column(self, name: str) -> pa.ChunkedArray | pd.Series:
        """One source column: Arrow, or a pandas Series for Excel cells."""
        if isinstance(self.data, pa.Table):
            return self.data.column(name)
        return self.data[name]

    def series(self, name: str) -> pd.Series:
        """One source column as pandas reads it (Parquet's pandas metadata honoured)."""
        if isinstance(self.data, pa.Table):
            column: pd.Series = self.data.select([name]).to_pandas()[name]
            return column
        return self.data[name]

    def rows_frame(self, positions: np.ndarray | pd.Index, columns: list[str] | None = None) -> pd.DataFrame:
        """The rows at ``positions`` as pandas: source columns (or ``columns``), file and row number.

        The index is the rows' positions in the table.
        """
        where = np.asarray(positions, dtype=np.int64)
        names = self.source_columns if columns is None else columns
        if not names:
            frame = pd.DataFrame(index=pd.RangeIndex(len(where)))
        elif isinstance(self.data, pa.Table):
            frame = self.data.select(names).take(pa.array(where, type=pa.int64())).to_pandas()
        else:
            frame = self.data[names].iloc[where].reset_index(drop=True)
        frame.index = pd.Index(where)
        frame[SOURCE_FILE] = pd.Categorical.from_codes(self.file_codes[where], categories=pd.Index(self.origins))
        frame[SOURCE_ROW] = self.rows[where]
        return frame

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Every row as pandas (small tables: the merge list, recipients, lookups)."""
        return self.rows_frame(np.arange(self.num_rows))

    def arrow(self, columns: list[str] | None = None) -> pa.Table:
        """Source columns as an Arrow table (Excel cells of mixed types as text) for DuckDB to hash."""
        names = self.source_columns if columns is None else columns
        if isinstance(self.data, pa.Table):
            return self.data.select(names)
        frame = self.data[names]
        mixed = [c for c in names if frame[c].dtype == object]
        frame = frame.astype({c: "string" for c in mixed}) if mixed else frame
        return pa.Table.from_pandas(frame, preserve_index=False)


def concat_raw(
    name: str, parts: list[tuple[Path, pa.Table | pd.DataFrame, np.ndarray]]
) -> tuple[pa.Table | pd.DataFrame, np.ndarray, np.ndarray]:
    """The parts of a table read from several files as one: data, row numbers and file codes.

    Columns are the union, in order of appearance; a file without a column gives it empty.
    Arrow parts stay Arrow; when a workbook is among them, all become pandas.
    """
    rows = np.concatenate([r for _, _, r in parts]) if parts else np.zeros(0, dtype=np.int64)
    codes = np.concatenate([np.full(len(r), i, dtype=np.int16) for i, (_, _, r) in enumerate(parts)])
    datas = [d for _, d, _ in parts]
    if len(datas) == 1:
        return datas[0], rows, codes
    if all(isinstance(d, pa.Table) for d in datas):
        tables = [d for d in datas if isinstance(d, pa.Table)]
        return pa.concat_tables(tables, promote_options="permissive"), rows, codes
    frames = [d.to_pandas() if isinstance(d, pa.Table) else d for d in datas]
    return pd.concat(frames, ignore_index=True), rows, codes
