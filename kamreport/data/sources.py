"""Read a table's source files and map them onto the canonical columns.

``read_raw`` reads every file of a table (CSV of any delimiter, gzip, Parquet, Excel) into
one frame of the *source* columns, each row tagged with its file and row number, values as
written.  ``to_canonical`` maps, derives and parses those columns into the contract's types,
and reports every value it could not read so the validator can set the row aside.

Row numbers are what a person sees: in a CSV or a sheet the header is row ``header_row``
(1 by default) and the first data row the next one; in Parquet the first record is row 1.
"""

from __future__ import annotations

import csv
import difflib
import glob
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kamreport.contract import Column, Table
from kamreport.data.parse import ParseResult, parse_column
from kamreport.errors import ExpressionError, InputError
from kamreport.expressions import Expression
from kamreport.params import Lookup, RunParams, TableSource, expand_env

SOURCE_FILE = "_source_file"
SOURCE_ROW = "_source_row"
META = [SOURCE_FILE, SOURCE_ROW]

_EXCEL = {".xlsx", ".xlsm", ".xls"}
_PARQUET = {".parquet", ".pq"}
_ENCODING_ALIASES = {
    "auto": "utf-8-sig",
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "gbk": "gb18030",
    "gb2312": "gb18030",
}
_DELIMITERS = [",", ";", "\t", "|"]


BAD_LINE_COLUMNS = [SOURCE_FILE, SOURCE_ROW, "reason", "text"]


@dataclass
class RawTable:
    """A table as read: source columns plus :data:`SOURCE_FILE` and :data:`SOURCE_ROW`.

    ``bad_lines`` are CSV lines that do not split into the header's fields; they count as
    read and are set aside whole.
    """

    name: str
    frame: pd.DataFrame
    files: list[Path]
    bad_lines: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BAD_LINE_COLUMNS))

    @property
    def rows_read(self) -> int:
        """Data rows in the files, good or bad."""
        return len(self.frame) + len(self.bad_lines)


def resolve_paths(table: str, spec: TableSource, base_dir: Path) -> list[Path]:
    """The files of a table: each path entry, glob patterns expanded, relative to ``base_dir``."""
    files: list[Path] = []
    for entry in spec.paths:
        entry = expand_env(entry)
        pattern = Path(entry).expanduser()
        pattern = pattern if pattern.is_absolute() else base_dir / pattern
        if any(ch in entry for ch in "*?["):
            matched = sorted(Path(p) for p in glob.glob(str(pattern)))  # noqa: PTH207 - absolute patterns
            if not matched:
                raise InputError(
                    f"table {table}: no file matches {pattern}. Check data.tables.{table}.path in the params file."
                )
            files.extend(matched)
        elif not pattern.is_file():
            raise InputError(
                f"table {table}: file not found: {pattern}. Check data.tables.{table}.path in the params file "
                f"(paths are relative to data.base_dir = {base_dir})."
            )
        else:
            files.append(pattern)
    return files


def file_kind(path: Path) -> str:
    """``csv``, ``parquet`` or ``excel`` from the file name."""
    suffixes = [s.lower() for s in path.suffixes]
    last = suffixes[-1] if suffixes else ""
    if last == ".gz" and len(suffixes) > 1:
        last = suffixes[-2]
    if last in _PARQUET:
        return "parquet"
    if last in _EXCEL:
        return "excel"
    return "csv"


def read_raw(table: str, spec: TableSource, base_dir: Path, params: RunParams | None = None) -> RawTable:
    """Read every file of ``table`` into one frame of source columns, values as written.

    A SQL source (``connection`` and ``sql``) is read by :mod:`kamreport.data.sql`, which needs
    the run's ``params`` (its connections and the dates bound to the query).
    """
    if spec.is_sql:
        from kamreport.data.sql import read_sql_table  # it builds on this module

        if params is None:
            raise ValueError(f"table {table} is a SQL source: read_raw needs the run's params")
        return read_sql_table(table, spec, params)
    files = resolve_paths(table, spec, base_dir)
    parts: list[pd.DataFrame] = []
    bad: list[tuple[str, int, str, str]] = []
    names = [str(p) for p in files]
    for code, path in enumerate(files):
        frame, bad_lines = read_file(table, path, spec)
        # a categorical built from codes: one small integer a row, not a copy of the path
        codes = np.full(len(frame), code, dtype=np.int16)
        frame[SOURCE_FILE] = pd.Categorical.from_codes(codes, categories=pd.Index(names))  # type: ignore[call-overload]
        parts.append(frame)
        bad.extend((str(path), number, reason, text) for number, reason, text in bad_lines)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return RawTable(table, frame, files, pd.DataFrame(bad, columns=BAD_LINE_COLUMNS))


BadLine = tuple[int, str, str]  # (row number, reason, the line as read)


def read_file(table: str, path: Path, spec: TableSource) -> tuple[pd.DataFrame, list[BadLine]]:
    """Read one file with its row numbers in :data:`SOURCE_ROW`, and the lines it could not split."""
    kind = file_kind(path)
    bad: list[BadLine] = []
    if kind == "parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise InputError(f"table {table}: cannot read {path} as Parquet: {exc}") from exc
        first_row = 1
    elif kind == "excel":
        frame = read_sheet(table, path, spec.sheet, spec.header_row)
        first_row = spec.header_row + 1
    else:
        frame, bad = _read_csv(table, path, spec)
        first_row = spec.header_row + 1
    frame.columns = [str(c) for c in frame.columns]
    if SOURCE_ROW not in frame:
        frame[SOURCE_ROW] = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return frame, bad


def read_sheet(table: str, path: Path, sheet: str | int | None, header_row: int = 1) -> pd.DataFrame:
    """One sheet of an Excel workbook, cells as Python values (dates stay dates)."""
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # openpyxl / xlrd raise their own types for a file that is not a workbook
        raise InputError(
            f"table {table}: {path} is not a readable spreadsheet ({exc}). Save it as .xlsx or CSV."
        ) from exc
    with book:
        names = [str(n) for n in book.sheet_names]
        chosen = names[0] if sheet is None else sheet
        if isinstance(chosen, str) and chosen not in names:
            close = difflib.get_close_matches(chosen, names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise InputError(f"table {table}: {path} has no sheet '{chosen}'; its sheets are {', '.join(names)}.{hint}")
        if isinstance(chosen, int) and not 0 <= chosen < len(names):
            raise InputError(f"table {table}: {path} has {len(names)} sheet(s); sheet index {chosen} does not exist")
        frame = pd.read_excel(book, sheet_name=chosen, header=header_row - 1, dtype=object)
    return frame.dropna(how="all").reset_index(drop=True) if len(frame) else frame


def _open_text(path: Path) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _encoding(spec: TableSource) -> str:
    return _ENCODING_ALIASES.get(spec.encoding.lower(), spec.encoding)


def sniff_delimiter(path: Path, encoding: str, header_row: int = 1) -> str:
    """The delimiter that splits the header line into the most fields."""
    with _open_text(path) as fh:
        head = fh.read(1 << 16).decode(encoding, errors="replace")
    lines = head.splitlines()
    header = lines[header_row - 1] if len(lines) >= header_row else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(table: str, path: Path, spec: TableSource) -> tuple[pd.DataFrame, list[BadLine]]:
    """Read a CSV: pyarrow first; a file with lines that do not split is read again line by line.

    The second pass is there so that each bad line is set aside with its row number.
    """
    encoding = _encoding(spec)
    try:
        delimiter = spec.delimiter or sniff_delimiter(path, encoding, spec.header_row)
        bad_count = 0

        def count_bad(_row: object) -> str:
            nonlocal bad_count
            bad_count += 1
            return "skip"

        try:
            frame = pd.read_csv(  # type: ignore[call-overload]  # the stubs lack pyarrow's row callback
                path,
                engine="pyarrow",
                sep=delimiter,
                encoding=encoding,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                header=spec.header_row - 1,
                on_bad_lines=count_bad,
            )
        except (ValueError, TypeError) as exc:
            if any(word in str(exc).lower() for word in ("codec", "decode", "utf")):
                raise UnicodeDecodeError(encoding, b"", 0, 1, str(exc)) from exc
            bad_count = 1  # pyarrow could not read it: let the line reader say why
        if bad_count:
            return _read_csv_by_line(path, encoding, delimiter, spec.header_row)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"table {table}: cannot read {path} as {spec.encoding} text ({exc.reason}). "
            f"Set data.tables.{table}.encoding in the params file: gbk for a Chinese Excel export, "
            "latin-1 for a Western one, utf-8 otherwise."
        ) from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"table {table}: cannot parse {path} as CSV: {exc}. Check its delimiter and quoting.") from exc
    except (pd.errors.EmptyDataError, StopIteration) as exc:
        raise InputError(f"table {table}: {path} is empty; it needs at least a header line.") from exc
    return frame, []


def _read_csv_by_line(path: Path, encoding: str, delimiter: str, header_row: int) -> tuple[pd.DataFrame, list[BadLine]]:
    rows: list[list[str]] = []
    numbers: list[int] = []
    bad: list[BadLine] = []
    with _open_text(path) as binary, io.TextIOWrapper(binary, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for _ in range(header_row - 1):
            next(reader)
        header = next(reader)
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) == len(header):
                rows.append(fields)
                numbers.append(reader.line_num)
            else:
                reason = f"line has {len(fields)} fields, the header has {len(header)}"
                bad.append((reader.line_num, reason, delimiter.join(fields)))
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    frame = frame.mask(frame == "")
    frame[SOURCE_ROW] = np.asarray(numbers, dtype=np.int64)
    return frame, bad


def _normal(name: str) -> str:
    return "".join(ch for ch in name.lower().strip() if ch.isalnum())


def map_columns(raw: RawTable, spec: TableSource, table: Table) -> dict[str, str]:
    """Canonical column → source column, from ``columns`` and by name.

    A source column named like a canonical one (case, spaces and underscores aside) maps
    without being listed.
    """
    source_columns = [c for c in raw.frame.columns if c not in META]
    mapping: dict[str, str] = {}
    for source, canonical in spec.columns.items():
        if canonical not in table.by_name:
            raise InputError(
                f"table {table.name}: columns maps '{source}' to '{canonical}', which is not a column of {table.name}"
                f"{_closest(canonical, table.names)}. Its columns are: {', '.join(table.names)}."
            )
        if source not in raw.frame.columns:
            raise InputError(
                f"table {table.name}: column '{source}' named in data.tables.{table.name}.columns is not in "
                f"{_files(raw)}{_closest(source, source_columns)}. Found columns: {', '.join(source_columns)}."
            )
        mapping[canonical] = source
    by_normal = {_normal(c): c for c in source_columns}
    for col in table.columns:
        if col.name not in mapping and col.name not in spec.derive and col.name not in spec.lookups:
            found = by_normal.get(_normal(col.name))
            if found is not None and found not in spec.columns:
                mapping[col.name] = found
    return mapping


def _files(raw: RawTable) -> str:
    return ", ".join(str(f) for f in raw.files) or "(no file)"


def _closest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f" (closest: '{close[0]}')" if close else ""


@dataclass
class Canonical:
    """A table in canonical columns, plus the values that could not be read."""

    frame: pd.DataFrame
    failures: pd.DataFrame  # index = row index, column "reason"


def to_canonical(
    raw: RawTable,
    spec: TableSource,
    table: Table,
    date_format: str | None,
    base_dir: Path,
) -> Canonical:
    """Map, derive and parse ``raw`` into the contract's columns and types.

    Raises
    ------
    InputError
        A required column is missing after mapping (the message lists the columns found and
        the closest match), an expression is invalid, or a column is mostly unreadable.
    """
    mapping = map_columns(raw, spec, table)
    source = raw.frame
    values: dict[str, pd.Series] = {}
    for canonical, src in mapping.items():
        values[canonical] = source[src]
    for canonical, text in spec.derive.items():
        col = _column(table, canonical, "derive")
        try:
            values[canonical] = _derive(Expression(text), source, col)
        except ExpressionError as exc:
            raise InputError(f"table {table.name}: derive.{canonical}: {exc}") from exc
    for canonical, lookup in spec.lookups.items():
        _column(table, canonical, "lookups")
        values[canonical] = _lookup(raw, table.name, lookup, values, base_dir)

    missing = [c for c in table.required_names if c not in values]
    if missing:
        found = [c for c in source.columns if c not in META]
        hints = "; ".join(f"'{m}'{_closest(m, found)}" for m in missing)
        raise InputError(
            f"table {table.name} ({_files(raw)}): required column(s) missing after mapping: {hints}. "
            f"Found columns: {', '.join(found)}. Map them in data.tables.{table.name}.columns "
            f"(source name: canonical name) or derive them."
        )

    frame = pd.DataFrame(index=source.index)
    failures = []
    fmt = spec.date_format or date_format
    for col in table.columns:
        if col.name not in values:
            continue
        result = parse_column(values[col.name], col, fmt, spec.decimal, spec.thousands)
        _refuse_mostly_unreadable(result, col, table, raw, values[col.name], spec)
        frame[col.name] = result.values
        if result.failed.any():
            shown = values[col.name][result.failed].astype(str)
            failures.append(pd.DataFrame({"reason": f"{col.name}: cannot read '" + shown + f"' as {col.kind}"}))
    for col in table.columns:
        if col.default is not None and col.name in frame:
            frame[col.name] = frame[col.name].fillna(col.default)
        elif col.default is not None:
            frame[col.name] = pd.Series(col.default, index=frame.index, dtype="string")
    return Canonical(frame, pd.concat(failures) if failures else pd.DataFrame({"reason": pd.Series(dtype="string")}))


def _column(table: Table, name: str, where: str) -> Column:
    if name not in table.by_name:
        raise InputError(
            f"table {table.name}: {where} names '{name}', which is not a column of {table.name}"
            f"{_closest(name, table.names)}."
        )
    return table.by_name[name]


def _derive(expression: Expression, source: pd.DataFrame, col: Column) -> pd.Series:
    numeric = col.kind in ("float", "int")
    result = expression.evaluate({c: source[c] for c in source.columns if c not in META}, numeric=numeric)
    if not isinstance(result, pd.Series):
        result = pd.Series([result] * len(source), index=source.index)
    return result


def _lookup(raw: RawTable, table: str, lookup: Lookup, values: dict[str, pd.Series], base_dir: Path) -> pd.Series:
    if lookup.by not in values:
        raise InputError(f"table {table}: lookup by '{lookup.by}', which is not mapped yet; map or derive it first")
    path = raw.files[0] if lookup.path is None else resolve_paths(table, TableSource(path=lookup.path), base_dir)[0]
    ref = (
        read_sheet(table, path, lookup.sheet)
        if file_kind(path) == "excel"
        else read_file(table, path, TableSource())[0]
    )
    for needed in (lookup.key, lookup.value):
        if needed not in ref.columns:
            raise InputError(
                f"table {table}: lookup sheet {path} ({lookup.sheet}) has no column '{needed}'"
                f"{_closest(needed, [str(c) for c in ref.columns])}."
            )
    table_map = ref.dropna(subset=[lookup.key]).drop_duplicates(lookup.key).set_index(lookup.key)[lookup.value]
    return values[lookup.by].map(table_map)


def _refuse_mostly_unreadable(
    result: ParseResult, col: Column, table: Table, raw: RawTable, given: pd.Series, spec: TableSource
) -> None:
    """A column that is mostly unreadable is a format problem, not bad rows: say what to set."""
    present = int(given.notna().sum())
    failed = int(result.failed.sum())
    if present >= 20 and failed > 0.5 * present:
        example = given[result.failed].astype(str).iloc[0]
        advice = {
            "date": f"set data.tables.{table.name}.date_format (e.g. '%d/%m/%Y' or '%m/%d/%Y')",
            "float": f"set data.tables.{table.name}.decimal / thousands (e.g. decimal: ',')",
            "int": f"set data.tables.{table.name}.decimal / thousands",
        }.get(col.kind, "check the column mapping")
        raise InputError(
            f"table {table.name} ({_files(raw)}): column '{col.name}' cannot be read as {col.kind} in "
            f"{failed:,} of {present:,} rows (e.g. '{example}'): {advice}."
        )
