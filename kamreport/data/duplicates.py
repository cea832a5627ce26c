"""Rows that repeat an earlier row, found fast on millions of lines.

DuckDB hashes every row in parallel; only the rows whose hash occurs more than once are then
compared exactly with pandas, so a hash collision can never set a good row aside.  (pandas'
own ``duplicated`` over eight columns of ten million lines takes several seconds.)
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa


def first_occurrence(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """For every row equal on ``columns`` to an earlier row: the index label of that earlier (first) row.

    Returns an empty Series when no row repeats.  Missing values compare equal, as in
    :meth:`pandas.DataFrame.duplicated`.
    """
    empty = pd.Series(dtype="int64")
    if len(frame) < 2:
        return empty
    if len(frame) < _SMALL:  # a DuckDB connection costs more than pandas on a small table
        return _first_of_duplicated(frame[columns], columns)
    table = pa.Table.from_pandas(frame[columns], preserve_index=False)
    table = table.rename_columns([f"c{i}" for i in range(len(columns))])
    row_hash = f"hash({', '.join(table.column_names)})"
    con = duckdb.connect()
    try:
        con.register("rows", table)
        repeated = con.sql(f"SELECT {row_hash} AS h FROM rows GROUP BY h HAVING count(*) > 1").to_arrow_table()
        if repeated.num_rows == 0:  # the usual case: one parallel pass and done
            return empty
        hashes = con.sql(f"SELECT {row_hash} AS h FROM rows").to_arrow_table().column("h").to_numpy()
    finally:
        con.close()
    return _first_of_duplicated(frame.loc[np.isin(hashes, repeated.column("h").to_numpy()), columns], columns)


_SMALL = 20_000


def _first_of_duplicated(candidates: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each later repeat → the index label of its first occurrence, compared exactly by pandas."""
    later = candidates.duplicated(keep="first")
    if not later.any():
        return pd.Series(dtype="int64")
    groups = candidates.groupby(columns, dropna=False, sort=False)
    first = pd.Series(candidates.index, index=candidates.index).groupby(groups.ngroup()).transform("first")
    return first[later.to_numpy()].astype("int64")
