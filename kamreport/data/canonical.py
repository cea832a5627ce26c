"""From source columns to the contract's: map, derive, look up and parse.

``to_canonical`` maps a :class:`~kamreport.data.raw.RawTable`'s source columns onto the
contract's columns (by ``columns`` and by name), evaluates ``derive`` expressions and
``lookups``, and parses every column into its contract type as an Arrow array, reporting
every value it could not read so that the validator can set the row aside.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import MAX_ABS_NUMBER, Column, Table
from kamreport.data.parse import Parsed, needs_cells, parse_column
from kamreport.data.raw import RawTable
from kamreport.data.schema import TEXT, to_frame
from kamreport.data.sources import read_side_table, resolve_paths
from kamreport.errors import ExpressionError, InputError
from kamreport.expressions import Expression
from kamreport.params import Lookup, TableSource


def _normal(name: str) -> str:
    return "".join(ch for ch in name.lower().strip() if ch.isalnum())


_MANGLED = re.compile(r"^(.*)\.(\d+)$")


def _header_name(column: str, columns: set[str]) -> str:
    """The name as the header wrote it: pandas renames a repeated ``revenue`` to ``revenue.1``."""
    match = _MANGLED.match(column)
    return match.group(1) if match and match.group(1) in columns else column


def map_columns(raw: RawTable, spec: TableSource, table: Table) -> dict[str, str]:
    """Canonical column → source column, from ``columns`` and by name.

    A source column named like a canonical one (case, spaces and underscores aside) maps
    without being listed.  An explicit ``columns`` entry always wins; without one, two
    source columns that both match a canonical name are an error (never a silent choice).
    """
    source_columns = raw.source_columns
    mapping: dict[str, str] = {}
    for source, canonical in spec.columns.items():
        if canonical not in table.by_name:
            raise InputError(
                f"table {table.name}: columns maps '{source}' to '{canonical}', which is not a column of {table.name}"
                f"{_closest(canonical, table.names)}. Its columns are: {', '.join(table.names)}."
            )
        if source not in source_columns:
            raise InputError(
                f"table {table.name}: column '{source}' named in data.tables.{table.name}.columns is not in "
                f"{_files(raw)}{_closest(source, source_columns)}. Found columns: {', '.join(source_columns)}."
            )
        mapping[canonical] = source
    names = set(source_columns)
    by_normal: dict[str, list[str]] = {}
    for column in source_columns:
        if column not in spec.columns:  # a column mapped explicitly never maps by its name too
            by_normal.setdefault(_normal(_header_name(column, names)), []).append(column)
    for col in table.columns:
        if col.name in mapping or col.name in spec.derive or col.name in spec.lookups:
            continue
        found = by_normal.get(_normal(col.name), [])
        if len(found) > 1:
            shown = ", ".join(
                f"'{_header_name(c, names)}'" + (" (again)" if _header_name(c, names) != c else "") for c in found
            )
            raise InputError(
                f"table {table.name} ({_files(raw)}): {len(found)} source columns match the column '{col.name}': "
                f"{shown}. Say which one holds {col.name} in data.tables.{table.name}.columns "
                f"(e.g. columns: {{'{_header_name(found[0], names)}': {col.name}}}), or rename or remove the other "
                "in the export; kamreport does not guess."
            )
        if found:
            mapping[col.name] = found[0]
    return mapping


def _files(raw: RawTable) -> str:
    return ", ".join(str(f) for f in raw.files) or "(no file)"


def _closest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (closest: '{close[0]}')" if close else ""


FAILURE_COLUMNS = ["column", "reason", "soft"]
# From this many rows, text that repeats (ids, codes, enums) is kept dictionary-encoded.
CODES_FROM_ROWS = 50_000


@dataclass
class Canonical:
    """A table in canonical columns, plus the values that could not be read.

    ``data`` holds the columns the source gives (mapped, derived, looked up, defaulted), in
    contract order and the contract's Arrow types.  ``failures`` has one row per (row,
    column) that failed: its index is the row's position, ``reason`` says why, and ``soft``
    marks a value that may simply be left blank when its column is optional (a lookup with
    no match) rather than set the row aside.
    """

    data: pa.Table
    failures: pd.DataFrame
    table: Table
    mapping: dict[str, str]  # canonical column → the source column it was read from

    @cached_property
    def frame(self) -> pd.DataFrame:
        """``data`` as pandas, in the contract's dtypes (small tables and derived masters)."""
        return to_frame(self.data, self.table)


Value: TypeAlias = pa.ChunkedArray | pd.Series


class _Source(Mapping[str, pd.Series]):
    """The source columns as pandas Series, each converted when an expression first reads it."""

    def __init__(self, raw: RawTable, rows: np.ndarray | None = None) -> None:
        self.raw = raw
        self.rows = rows
        self._cache: dict[str, pd.Series] = {}

    def __getitem__(self, name: str) -> pd.Series:
        if name not in self._cache:
            if name not in self.raw.source_columns:
                raise KeyError(name)
            if self.rows is None:
                self._cache[name] = self.raw.series(name)
            else:
                self._cache[name] = self.raw.rows_frame(self.rows, [name])[name].reset_index(drop=True)
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw.source_columns)

    def __len__(self) -> int:
        return len(self.raw.source_columns)


def to_canonical(
    raw: RawTable,
    spec: TableSource,
    table: Table,
    date_format: str | None,
    base_dir: Path,
    max_abs: float = MAX_ABS_NUMBER,
) -> Canonical:
    """Map, derive and parse ``raw`` into the contract's columns and types.

    Parameters
    ----------
    max_abs
        Numbers beyond ± this (and inf) fail: ``validation.max_abs_number``.

    Raises
    ------
    InputError
        A required column is missing after mapping (the message lists the columns found and
        the closest match), two source columns match one canonical column, an expression
        is invalid or cannot be evaluated, or a column is mostly unreadable.
    """
    mapping = map_columns(raw, spec, table)
    values: dict[str, Value] = {}
    failures: list[pd.DataFrame] = []
    for canonical, src in mapping.items():
        values[canonical] = raw.column(src)
    source = _Source(raw)
    for canonical, text in spec.derive.items():
        _column(table, canonical, "derive")
        values[canonical] = derive_column(table.name, canonical, text, raw, source)
    for canonical, lookup in spec.lookups.items():
        _column(table, canonical, "lookups")
        values[canonical], unmatched = _lookup(raw, table.name, lookup, values, mapping, base_dir)
        if len(unmatched):
            failures.append(pd.DataFrame({"column": canonical, "reason": f"{canonical}: " + unmatched, "soft": True}))

    missing = [c for c in table.required_names if c not in values]
    if missing:
        found = raw.source_columns
        hints = "; ".join(f"'{m}'{_closest(m, found)}" for m in missing)
        raise InputError(
            f"table {table.name} ({_files(raw)}): required column(s) missing after mapping: {hints}. "
            f"Found columns: {', '.join(found)}. Map them in data.tables.{table.name}.columns "
            f"(source name: canonical name) or derive them."
        )

    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    fmt = spec.date_format or date_format
    large = raw.num_rows >= CODES_FROM_ROWS
    given_columns: list[tuple[Column, Value]] = []
    for col in table.columns:
        if col.name not in values:
            continue
        given = values[col.name]
        if not isinstance(given, pd.Series) and needs_cells(given.type, col.kind):
            given = raw.series(mapping[col.name])  # a typed column read as pandas reads it
        given_columns.append((col, given))

    def parse(col: Column, given: Value) -> Parsed:
        return parse_column(given, col, fmt, spec.decimal, spec.thousands, max_abs, large)

    for (col, given), result in zip(given_columns, _each(parse, given_columns, threads=large), strict=True):
        _refuse_mostly_unreadable(result, col, table, raw, given, spec)
        columns[col.name] = result.values
        if result.failed.any():
            where = np.flatnonzero(result.failed)
            shown = _shown(given, where)
            reason = f"{col.name}: cannot read '" + shown + f"' as {col.kind}"
            if result.why is not None:
                reason[result.why.index] = f"{col.name}: " + result.why
            failures.append(pd.DataFrame({"column": col.name, "reason": reason, "soft": False}))
    for col in table.columns:
        if col.default is not None and col.name in columns:
            columns[col.name] = pc.fill_null(pc.cast(columns[col.name], TEXT), col.default)
        elif col.default is not None:
            columns[col.name] = pa.array([col.default] * raw.num_rows, type=TEXT)
    ordered = [c for c in table.names if c in columns]
    data = pa.table({c: columns[c] for c in ordered}) if ordered else pa.table({})
    empty = pd.DataFrame({"column": pd.Series(dtype="string"), "reason": pd.Series(dtype="string"), "soft": False})
    return Canonical(data, pd.concat(failures) if failures else empty, table, mapping)


def _each(fn: Callable[[Column, Value], Parsed], items: list[tuple[Column, Value]], threads: bool) -> Iterator[Parsed]:
    """``fn`` over ``items``, results in order; with ``threads``, two columns are parsed at a time.

    Parsing a large table's columns is mostly Arrow kernels and numpy, which release the GIL,
    so two threads use both cores where one column after the other leaves one idle.  An
    exception is raised when its column's result is reached, as without threads.
    """
    if not threads or len(items) < 2:
        yield from (fn(col, given) for col, given in items)
        return
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kamreport-parse") as pool:
        futures = [pool.submit(fn, col, given) for col, given in items]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _shown(given: Value, where: np.ndarray) -> pd.Series:
    """The values at ``where`` as text, indexed by position (what a failure reason quotes)."""
    if isinstance(given, pd.Series):
        values = given.iloc[where]
    else:
        values = pd.Series(given.take(pa.array(where, type=pa.int64())).to_pandas())
    return pd.Series(values.astype(str).to_numpy(), index=where, dtype=object)


def _given(given: Value) -> int:
    """Values present in a source column (NaN in a number column is an empty cell)."""
    if isinstance(given, pd.Series):
        return int(given.notna().sum())
    present: int = len(given) - given.null_count
    if pa.types.is_floating(given.type):
        present -= int(pc.sum(pc.is_nan(given)).as_py() or 0)
    return present


def _column(table: Table, name: str, where: str) -> Column:
    if name not in table.by_name:
        raise InputError(
            f"table {table.name}: {where} names '{name}', which is not a column of {table.name}"
            f"{_closest(name, table.names)}."
        )
    return table.by_name[name]


_SAMPLE_ROWS = 200


def check_expression(table: str, canonical: str, text: str) -> Expression:
    """The parsed expression of ``derive.<canonical>``; an invalid one is an :class:`InputError`.

    Run for every derived column before any file is read, so a typo costs no reading time.
    """
    expression = Expression(text)
    try:
        _ = expression.names
    except ExpressionError as exc:
        raise InputError(f"table {table}: data.tables.{table}.derive.{canonical}: {exc}") from exc
    return expression


def derive_column(table: str, canonical: str, text: str, raw: RawTable, source: Mapping[str, pd.Series]) -> pd.Series:
    """``derive.<canonical>`` evaluated over the source columns, whole columns at a time.

    It is evaluated on the first rows first, so that an expression that cannot be evaluated
    stops the run at once, with a sample of the values it met.  Only the columns it reads
    are turned into pandas.
    """
    expression = check_expression(table, canonical, text)
    head = _Source(raw, np.arange(min(_SAMPLE_ROWS, raw.num_rows)))
    for rows in (head, source):
        try:
            result = expression.evaluate(rows)
        except (ExpressionError, TypeError, ValueError, ArithmeticError) as exc:
            read = [c for c in raw.source_columns if c in expression.names]
            sample = pd.DataFrame({c: rows[c] for c in read}).dropna(how="all").head(1) if read else pd.DataFrame()
            shown = ", ".join(f"{c} = '{v}'" for c, v in sample.iloc[0].items()) if len(sample) else "no values"
            raise InputError(
                f"table {table}: data.tables.{table}.derive.{canonical} = {text!r} cannot be evaluated ({exc}); "
                f"e.g. on a row with {shown}. Fix the expression in the params file."
            ) from exc
    if not isinstance(result, pd.Series):
        result = pd.Series([result] * raw.num_rows, index=pd.RangeIndex(raw.num_rows))
    return result


def _lookup(
    raw: RawTable, table: str, lookup: Lookup, values: dict[str, Value], mapping: dict[str, str], base_dir: Path
) -> tuple[pd.Series, pd.Series]:
    """The looked-up values, and for each row whose ``by`` value has no match: why (without the column)."""
    if lookup.by not in values:
        raise InputError(f"table {table}: lookup by '{lookup.by}', which is not mapped yet; map or derive it first")
    path = raw.files[0] if lookup.path is None else resolve_paths(table, TableSource(path=lookup.path), base_dir)[0]
    ref = read_side_table(table, path, lookup.sheet)
    for needed in (lookup.key, lookup.value):
        if needed not in ref.columns:
            raise InputError(
                f"table {table}: lookup sheet {path} ({lookup.sheet}) has no column '{needed}'"
                f"{_closest(needed, [str(c) for c in ref.columns])}."
            )
    keys = ref[lookup.key].where(ref[lookup.key].isna(), ref[lookup.key].astype(str).str.strip())
    table_map = ref.assign(_key=keys).dropna(subset=["_key"]).drop_duplicates("_key").set_index("_key")[lookup.value]
    given = values[lookup.by]
    by = given if isinstance(given, pd.Series) else raw.series(mapping[lookup.by])
    by_text = by.where(by.isna(), by.astype(str).str.strip())
    found = by_text.map(table_map)
    unmatched = by_text.notna() & ~by_text.isin(table_map.index)
    where = path.name if lookup.sheet is None else f"sheet {lookup.sheet} of {path.name}"
    return found, f"no match in {where} (column {lookup.key}) for '" + by_text[unmatched].astype(str) + "'"


def _refuse_mostly_unreadable(
    result: Parsed, col: Column, table: Table, raw: RawTable, given: Value, spec: TableSource
) -> None:
    """A column that is mostly unreadable is a format problem, not bad rows: say what to set."""
    present = _given(given)
    failed = int(result.failed.sum())
    if present >= 20 and failed > 0.5 * present:
        example = _shown(given, np.flatnonzero(result.failed)[:1]).iloc[0]
        advice = {
            "date": f"set data.tables.{table.name}.date_format (e.g. '%d/%m/%Y' or '%m/%d/%Y')",
            "float": f"set data.tables.{table.name}.decimal / thousands (e.g. decimal: ',')",
            "int": f"set data.tables.{table.name}.decimal / thousands",
        }.get(col.kind, "check the column mapping")
        raise InputError(
            f"table {table.name} ({_files(raw)}): column '{col.name}' cannot be read as {col.kind} in "
            f"{failed:,} of {present:,} rows (e.g. '{example}'): {advice}."
        )
