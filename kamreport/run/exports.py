"""The exports of a run: kpis.csv, kpis_history.parquet, accounts.csv, data_quality.csv (docs/outputs.md).

Every CSV kamreport writes for people goes through :func:`write_csv`, which makes text that a
spreadsheet would run as a formula (OWASP "CSV injection": a cell beginning with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) plain text by prefixing ``'``.  Numbers are
written as numbers.  kamreport never reads these files back (its own store is Parquet), so
the escaping costs no round trip.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.compute import Results
from kamreport.files import atomic_target
from kamreport.kpi.engine import LEVELS, LONG_COLUMNS
from kamreport.records import QUALITY_COLUMNS
from kamreport.registry import ACCOUNTS_CSV_COLUMNS

# UTF-8 with a BOM (what Python calls utf-8-sig), so that Excel opens Chinese text correctly
_BOM = "\ufeff"


def kpis_csv_frame(results: Results) -> pd.DataFrame:
    """kpis.csv in the long format, sorted by period, level (account → company), key, kpi.

    Every trend quarter of the owner, group, region and company levels, and the run's period
    of the accounts (their history is kpis_history.parquet).
    """
    rows = results.kpis.copy()
    rows["_level"] = _level_ranks(rows["level"])
    rows = rows.sort_values(["period", "_level", "key", "kpi"], kind="stable")
    return rows[LONG_COLUMNS].reset_index(drop=True)


def _level_ranks(level: pd.Series) -> np.ndarray:
    """Each row's place in :data:`LEVELS` (account 0 … company 4)."""
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    if isinstance(level.dtype, pd.CategoricalDtype) and level.notna().all():
        # a rank per category, then per row by its code: no text compared row by row
        ranks = np.array([order[str(c)] for c in level.cat.categories], dtype=int)
        return ranks[level.cat.codes.to_numpy()]
    return level.astype(str).map(order).astype(int).to_numpy()


def accounts_csv_frame(results: Results) -> pd.DataFrame:
    """One row per account in scope, the columns of docs/outputs.md."""
    return results.accounts[list(ACCOUNTS_CSV_COLUMNS)].sort_values("account_id").reset_index(drop=True)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A text cell that is a plain number ("-5", "+1.5e3") is read as that number, never as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def escape_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would take for a formula.

    >>> escape_cell("=1+1"), escape_cell("@SUM(A1)"), escape_cell("-5"), escape_cell(-5), escape_cell("East")
    ("'=1+1", "'@SUM(A1)", '-5', -5, 'East')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and text headers) are passed through :func:`escape_cell`."""
    escaped = frame.copy()
    for column in escaped.columns:
        values = escaped[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        if _plain_categories(values):
            continue  # labels such as period, level, kpi: checked once per category, not per row
        if isinstance(values.dtype, pd.StringDtype) and values.notna().any():
            text = values  # text already: no copy of every cell as a Python object
        else:
            objects = values.astype(object)
            if pd.api.types.infer_dtype(objects, skipna=True) != "string":  # mixed: cell by cell
                escaped[column] = objects.map(escape_cell)
                continue
            text = objects.astype("string")
        starts = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        if not starts.any():  # the usual case: no cell begins like a formula
            continue
        risky = starts & ~text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False).astype(bool)
        if risky.any():
            escaped[column] = values.astype(object).where(~risky, "'" + text.astype(object))
    escaped.columns = [escape_cell(c) for c in escaped.columns]
    return escaped


def _plain_categories(values: pd.Series) -> bool:
    """Whether ``values`` is categorical text none of whose categories looks like a formula."""
    if not isinstance(values.dtype, pd.CategoricalDtype) or not values.notna().any():
        return False
    categories = values.cat.categories
    if pd.api.types.infer_dtype(categories, skipna=True) != "string":
        return False
    return all(escape_cell(c) == c for c in categories)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as a CSV for people, atomically: text escaped against formulas, numbers as they are.

    UTF-8 with a BOM (Excel then reads Chinese text right), rows ended by CRLF, missing
    values empty, floats unrounded (shortest repr), text cells escaped by :func:`escape_cell`.

    Parameters
    ----------
    frame
        The table to write (its index is not written).
    path
        The target file; its folder is created when missing.

    Returns
    -------
    Path
        ``path``.
    """
    escaped = escape_formulas(frame)
    body = _unquoted_csv(escaped)
    with atomic_target(path) as tmp:
        if body is not None:
            tmp.write_bytes(body)
            return path
        # the BOM written once, then plain UTF-8: the utf-8-sig codec would encode the file row by
        # row in Python (a quarter of the time of a 2-million-row kpis.csv)
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(_BOM)
            # CRLF rows (RFC 4180): the csv module then quotes every cell holding a bare CR, which
            # spreadsheets would otherwise take for a row break (and a formula could start after it)
            escaped.to_csv(handle, index=False, na_rep="", lineterminator="\r\n")
    return path


# A cell holding one of these is quoted by the csv module (QUOTE_MINIMAL, CRLF rows).
_QUOTED = '[,"\r\n]'


def _unquoted_csv(frame: pd.DataFrame) -> bytes | None:
    """The bytes ``DataFrame.to_csv`` writes for ``frame`` (BOM, header, CRLF rows), when no cell needs quotes.

    Built column by column in Arrow: pandas' writer hands every cell to the csv module as a
    Python object (most of the exports' time at 10 M lines).  Numbers are formatted as pandas
    formats them (``ndarray.astype(str)``: the shortest repr), missing values are empty and
    text is written as it is.  None — write with pandas — when a cell or header would need
    quotes, when a column is not plain text or numbers, or when the frame has fewer than two
    columns or no rows (the csv module writes a lone empty cell as ``""``).
    """
    if len(frame.columns) < 2 or frame.empty:
        return None
    header = [str(c) for c in frame.columns]
    if any(pc.match_substring_regex(pa.array(header), _QUOTED).to_pylist()):
        return None
    columns = []
    for _name, values in frame.items():
        text = _csv_text(values)
        if text is None:
            return None
        columns.append(text)

    def literal(value: str) -> pa.Scalar:
        return pa.scalar(value, pa.large_string())

    last = pc.binary_join_element_wise(columns[-1], literal("\r\n"), literal(""))
    rows = pc.binary_join_element_wise(*columns[:-1], last, literal(","))
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    data = memoryview(rows.buffers()[2])[offsets[0] : offsets[-1]]
    return b"".join([_BOM.encode(), ",".join(header).encode(), b"\r\n", data])


def _csv_text(values: pd.Series) -> pa.Array | None:
    """``values`` as the text pandas writes in a CSV (large_string, missing → empty).

    None for other dtypes and for text that would need quotes.
    """
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":  # numbers never need quotes
        # pandas writes ndarray.astype(str): for float64 the shortest repr, as Python's repr of
        # the same float (which is twice as fast over Python floats as NumPy's formatting)
        numbers = values.to_numpy()
        strings = list(map(repr, numbers.tolist())) if dtype == np.float64 else numbers.astype(str)
        text = pa.array(strings, type=pa.large_string())
        missing = values.isna().to_numpy()
        return pc.if_else(pa.array(missing), "", text) if missing.any() else text
    if isinstance(dtype, pd.CategoricalDtype):  # each category checked once, then taken per row
        categories = dtype.categories
        if pd.api.types.infer_dtype(categories, skipna=True) != "string":
            return None
        labels = _plain_text(pa.array(list(categories.astype(str)), type=pa.large_string()))
        codes = values.cat.codes.to_numpy()
        return None if labels is None else labels.take(pa.array(codes, mask=codes < 0)).fill_null("")
    if isinstance(dtype, pd.StringDtype):
        return _plain_text(pa.array(values.array, type=pa.large_string()).fill_null(""))
    return None


def _plain_text(text: pa.Array) -> pa.Array | None:
    """``text`` when none of its cells needs quotes in a CSV, else None."""
    return None if pc.any(pc.match_substring_regex(text, _QUOTED)).as_py() else text


def write_history(results: Results, run_dir: Path, stored: Path | None = None) -> Path:
    """Write kpis_history.parquet: every account's KPIs in every trend quarter (period, account_id, a column per id).

    ``stored`` is the results store's file of this very frame when the caller has one
    (:func:`kamreport.run.store.stored_frame`): the same bytes, copied rather than encoded
    again (a second or so at 10 M lines).
    """
    path = run_dir / "kpis_history.parquet"
    with atomic_target(path) as tmp:
        if stored is not None:
            shutil.copyfile(stored, tmp)
        else:
            results.history.to_parquet(tmp, index=False)
    return path


def write_exports(results: Results, quality: pd.DataFrame, run_dir: Path) -> dict[str, Path]:
    """Write the CSV exports into ``run_dir``."""
    return {
        "kpis": write_csv(kpis_csv_frame(results), run_dir / "kpis.csv"),
        "accounts": write_csv(accounts_csv_frame(results), run_dir / "accounts.csv"),
        "data_quality": write_quality(quality, run_dir),
    }


def write_quality(quality: pd.DataFrame, run_dir: Path) -> Path:
    """Write data_quality.csv into ``run_dir``: every run that reads the data writes it, whatever it renders."""
    return write_csv(quality[QUALITY_COLUMNS], run_dir / "data_quality.csv")
