"""Rows that repeat an earlier row, found fast on millions of lines.

DuckDB hashes every row of the Arrow table in parallel (no pandas object is made); the
hashes that occur more than once are found by sorting them in numpy, and only the rows
carrying one are then compared exactly with pandas, so a hash collision can never set a
good row aside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from kamreport.data.schema import to_frame


def first_occurrence(data: pa.Table, positions: np.ndarray | None = None, hashed: pa.Table | None = None) -> pd.Series:
    """For every row equal in every column to an earlier row: the position of that earlier (first) row.

    Parameters
    ----------
    data
        The columns to compare.
    positions
        The position each row of ``data`` stands for (default ``0 … n-1``); the result's
        index and values are such positions.
    hashed
        Columns to hash instead of ``data`` (same rows), cheaper to hash and equal wherever
        ``data`` is — e.g. parsed numbers and codes for the text they were read from.  Rows
        equal in them are candidates, compared exactly in ``data``.

    Returns an empty Series when no row repeats.  Missing values compare equal, as in
    :meth:`pandas.DataFrame.duplicated`.
    """
    where = np.arange(data.num_rows, dtype=np.int64) if positions is None else np.asarray(positions, dtype=np.int64)
    if data.num_rows < 2 or data.num_columns == 0:
        return pd.Series(dtype="int64")
    if data.num_rows >= _SMALL:  # a DuckDB connection costs more than pandas on a small table
        candidates = _repeated_hashes(data if hashed is None else hashed)
        if not len(candidates):  # the usual case: one parallel pass and a sort, and done
            return pd.Series(dtype="int64")
        data, where = data.take(pa.array(candidates)), where[candidates]
    frame = to_frame(data)
    frame.index = pd.Index(where)
    return _first_of_duplicated(frame)


_SMALL = 20_000


def _repeated_hashes(data: pa.Table) -> np.ndarray:
    """Positions of the rows whose 64-bit hash (DuckDB's, over every column) occurs more than once (ascending).

    DuckDB hashes the rows in parallel and hands back one ``uint64`` per row, in row order
    (insertion order is preserved for a plain projection); numpy sorts those 80 MB at ten
    million rows and finds the repeated hashes (usually none).  Grouping the hashes inside
    DuckDB instead built a hash table of every row: three times the time and about 600 MB more.
    """
    import duckdb

    names = [f"c{i}" for i in range(data.num_columns)]
    con = duckdb.connect()
    try:
        con.register("rows", data.rename_columns(names))
        hashes = con.sql(f"SELECT hash({', '.join(names)}) AS h FROM rows").fetchnumpy()["h"]
    finally:
        con.close()
    hashes = np.asarray(hashes, dtype=np.uint64)
    if len(hashes) != data.num_rows:  # never expected: DuckDB returns one hash per row
        raise RuntimeError(f"DuckDB hashed {len(hashes)} of {data.num_rows} rows")
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(hashes, np.unique(repeated))).astype(np.int64)


def _first_of_duplicated(candidates: pd.DataFrame) -> pd.Series:
    """Each later repeat → the index label of its first occurrence, compared exactly by pandas."""
    later = candidates.duplicated(keep="first")
    if not later.any():
        return pd.Series(dtype="int64")
    columns = list(candidates.columns)
    groups = candidates.groupby(columns, dropna=False, sort=False)
    first = pd.Series(candidates.index, index=candidates.index).groupby(groups.ngroup()).transform("first")
    return first[later.to_numpy()].astype("int64")
