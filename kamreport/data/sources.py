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
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import MAX_ABS_NUMBER, Column, Table
from kamreport.data.parse import ParseResult, as_arrow, parse_column
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
    """The files of a table: each path entry, glob patterns expanded, relative to ``base_dir``.

    A glob skips the folders it matches; a path that is a folder is an error.
    """
    files: list[Path] = []
    for entry in spec.paths:
        entry = expand_env(entry)
        pattern = Path(entry).expanduser()
        pattern = pattern if pattern.is_absolute() else base_dir / pattern
        if any(ch in entry for ch in "*?["):
            matched = sorted(Path(p) for p in glob.glob(str(pattern)))  # noqa: PTH207 - absolute patterns
            found = [p for p in matched if p.is_file()]
            if not found:
                folders = f" (only folders: {', '.join(p.name for p in matched[:3])})" if matched else ""
                raise InputError(
                    f"table {table}: no file matches {pattern}{folders}. "
                    f"Check data.tables.{table}.path in the params file."
                )
            files.extend(found)
        elif pattern.is_dir():
            raise InputError(
                f"table {table}: {pattern} is a folder, not a file. Give a file, or a glob such as "
                f"'{Path(entry) / '*.csv'}', in data.tables.{table}.path."
            )
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
        frame[SOURCE_FILE] = pd.Categorical.from_codes(codes, categories=pd.Index(names))
        parts.append(frame)
        bad.extend((str(path), number, reason, text) for number, reason, text in bad_lines)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return RawTable(table, frame, files, pd.DataFrame(bad, columns=BAD_LINE_COLUMNS))


BadLine = tuple[int, str, str]  # (row number, reason, the line as read)


def read_file(table: str, path: Path, spec: TableSource) -> tuple[pd.DataFrame, list[BadLine]]:
    """Read one file with its row numbers in :data:`SOURCE_ROW`, and the lines it could not split.

    Rows whose every cell is empty (blank lines, blank sheet rows) are not data: they are
    skipped, and the row numbers of the others stay those of the file.
    """
    kind = file_kind(path)
    bad: list[BadLine] = []
    if kind == "parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
            raise InputError(f"table {table}: cannot read {path} as Parquet: {exc}") from exc
        rows = np.arange(1, len(frame) + 1, dtype=np.int64)
    elif kind == "excel":
        frame = read_sheet(table, path, spec.sheet, spec.header_row)
        rows = spec.header_row + 1 + frame.index.to_numpy(dtype=np.int64)  # blank rows dropped, numbers kept
    else:
        frame, rows, bad = _read_csv(table, path, spec)
    frame.columns = [str(c) for c in frame.columns]
    reserved = [c for c in META if c in frame.columns]
    if reserved:
        raise InputError(
            f"table {table}: {path} has a column named '{reserved[0]}', a name kamreport keeps for the file and "
            "row number of each row in data_quality.csv. Rename that column in the export and run again."
        )
    frame = frame.reset_index(drop=True)
    frame[SOURCE_ROW] = rows
    return frame, bad


def read_sheet(table: str, path: Path, sheet: str | int | None, header_row: int = 1) -> pd.DataFrame:
    """One sheet of an Excel workbook, cells as Python values (dates stay dates).

    Blank rows are dropped; the index keeps each row's position below the header (0 for the
    first), from which its sheet row number follows.
    """
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
        try:
            frame = pd.read_excel(  # text such as 'NaN' or 'null' stays text, as in a CSV
                book, sheet_name=chosen, header=header_row - 1, dtype=object, keep_default_na=False, na_values=[""]
            )
        except ValueError as exc:  # e.g. a header row below the sheet's last row
            raise InputError(f"table {table}: cannot read sheet '{chosen}' of {path}: {exc}") from exc
    return frame.dropna(how="all") if len(frame) else frame


def read_side_table(table: str, path: Path, sheet: str | int | None) -> pd.DataFrame:
    """A small table beside the data (a lookup, a set-aside list): any format, first sheet by default."""
    if file_kind(path) == "excel":
        return read_sheet(table, path, sheet)
    return read_file(table, path, TableSource())[0].drop(columns=[SOURCE_ROW])


def _open_text(path: Path) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path, "rb") if _gzipped(path) else open(path, "rb")


def _gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


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


def _read_csv(table: str, path: Path, spec: TableSource) -> tuple[pd.DataFrame, np.ndarray, list[BadLine]]:
    """Read a CSV: pyarrow first; a file with lines that do not split is read again line by line.

    The second pass is there so that each bad line is set aside with its row number.  A
    gzip file is decompressed by Arrow itself: a truncated one is an error to report, not
    a crash in a reading thread.
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
            with pa.input_stream(str(path), compression="gzip" if _gzipped(path) else None) as source:
                frame = pd.read_csv(  # type: ignore[call-overload]  # the stubs lack pyarrow's row callback
                    source,
                    engine="pyarrow",
                    sep=delimiter,
                    encoding=encoding,
                    dtype=str,
                    keep_default_na=False,
                    na_values=[""],
                    header=spec.header_row - 1,
                    skip_blank_lines=False,  # kept as empty rows, so that row numbers stay the file's
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
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(_unreadable(table, path, exc)) from exc
    rows = _line_numbers(frame, spec.header_row)
    blank = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), dtype=bool)
    if blank.any():
        frame, rows = frame[~blank], rows[~blank]
    return frame, rows, []


def _unreadable(table: str, path: Path, exc: BaseException) -> str:
    if _gzipped(path):
        return (
            f"table {table}: cannot read {path} as a gzip file ({exc}): it is truncated or not gzip-compressed. "
            "Export or download it again (a plain CSV should not end in .gz)."
        )
    return f"table {table}: cannot read {path}: {exc}."


def _line_numbers(frame: pd.DataFrame, header_row: int) -> np.ndarray:
    """The line each row starts on: rows follow the header line by line, unless a quoted cell holds a line break."""
    rows = np.arange(header_row + 1, header_row + 1 + len(frame), dtype=np.int64)
    breaks = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) or not len(column):
            continue
        text = pa.chunked_array(pa.array(column.array)) if getattr(column.dtype, "storage", None) == "pyarrow" else None
        text = text if text is not None else pa.chunked_array([as_arrow(column.astype("string"))])
        if any(_holds_line_break(chunk) for chunk in text.chunks):  # usually not, found at memory speed
            counts = pc.count_substring_regex(text, "\r\n|\r|\n").fill_null(0)
            breaks += counts.to_numpy().astype(np.int64)
    if breaks.any():
        rows[1:] += np.cumsum(breaks)[:-1]
    return rows


def _holds_line_break(text: pa.Array) -> bool:
    """Whether any value may hold a CR or LF: one pass over the array's character buffer, not value by value."""
    data = text.buffers()[2]
    if data is None:
        return False
    chars = np.frombuffer(data, dtype=np.uint8)
    return bool(np.any(chars == 10) or np.any(chars == 13))


def _read_csv_by_line(
    path: Path, encoding: str, delimiter: str, header_row: int
) -> tuple[pd.DataFrame, np.ndarray, list[BadLine]]:
    rows: list[list[str]] = []
    numbers: list[int] = []
    bad: list[BadLine] = []
    with _open_text(path) as binary, io.TextIOWrapper(binary, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for _ in range(header_row - 1):
            next(reader)
        header = next(reader)
        previous = reader.line_num
        for fields in reader:
            first_line, previous = previous + 1, reader.line_num  # a quoted line break spans lines
            if not any(fields) or (len(fields) == 1 and not fields[0].strip()):  # as the Arrow reader: blank
                continue
            if len(fields) == len(header):
                rows.append(fields)
                numbers.append(first_line)
            else:
                reason = f"line has {len(fields)} fields, the header has {len(header)}"
                bad.append((first_line, reason, delimiter.join(fields)))
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    frame = frame.mask(frame == "")
    return frame, np.asarray(numbers, dtype=np.int64), bad


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


@dataclass
class Canonical:
    """A table in canonical columns, plus the values that could not be read.

    ``failures`` has one row per (row, column) that failed: its index is the row's index,
    ``reason`` says why, and ``soft`` marks a value that may simply be left blank when its
    column is optional (a lookup with no match) rather than set the row aside.
    """

    frame: pd.DataFrame
    failures: pd.DataFrame


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
    source = raw.frame
    values: dict[str, pd.Series] = {}
    failures: list[pd.DataFrame] = []
    for canonical, src in mapping.items():
        values[canonical] = source[src]
    for canonical, text in spec.derive.items():
        _column(table, canonical, "derive")
        values[canonical] = derive_column(table.name, canonical, text, source)
    for canonical, lookup in spec.lookups.items():
        _column(table, canonical, "lookups")
        values[canonical], unmatched = _lookup(raw, table.name, lookup, values, base_dir)
        if len(unmatched):
            failures.append(pd.DataFrame({"column": canonical, "reason": f"{canonical}: " + unmatched, "soft": True}))

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
    fmt = spec.date_format or date_format
    for col in table.columns:
        if col.name not in values:
            continue
        result = parse_column(values[col.name], col, fmt, spec.decimal, spec.thousands, max_abs)
        _refuse_mostly_unreadable(result, col, table, raw, values[col.name], spec)
        frame[col.name] = result.values
        if result.failed.any():
            shown = values[col.name][result.failed].astype(str)
            reason = f"{col.name}: cannot read '" + shown + f"' as {col.kind}"
            if result.why is not None:
                reason[result.why.index] = f"{col.name}: " + result.why
            failures.append(pd.DataFrame({"column": col.name, "reason": reason, "soft": False}))
    for col in table.columns:
        if col.default is not None and col.name in frame:
            frame[col.name] = frame[col.name].fillna(col.default)
        elif col.default is not None:
            frame[col.name] = pd.Series(col.default, index=frame.index, dtype="string")
    empty = pd.DataFrame({"column": pd.Series(dtype="string"), "reason": pd.Series(dtype="string"), "soft": False})
    return Canonical(frame, pd.concat(failures) if failures else empty)


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


def derive_column(table: str, canonical: str, text: str, source: pd.DataFrame) -> pd.Series:
    """``derive.<canonical>`` evaluated over the source columns, whole columns at a time.

    It is evaluated on the first rows first, so that an expression that cannot be evaluated
    stops the run at once, with a sample of the values it met.
    """
    expression = check_expression(table, canonical, text)
    columns = [c for c in source.columns if c not in META]
    for rows in (source.head(_SAMPLE_ROWS), source):
        try:
            result = expression.evaluate({c: rows[c] for c in columns})
        except (ExpressionError, TypeError, ValueError, ArithmeticError) as exc:
            read = [c for c in columns if c in expression.names]
            sample = rows[read].dropna(how="all").head(1) if read else rows.head(0)
            shown = ", ".join(f"{c} = '{v}'" for c, v in sample.iloc[0].items()) if len(sample) else "no values"
            raise InputError(
                f"table {table}: data.tables.{table}.derive.{canonical} = {text!r} cannot be evaluated ({exc}); "
                f"e.g. on a row with {shown}. Fix the expression in the params file."
            ) from exc
    if not isinstance(result, pd.Series):
        result = pd.Series([result] * len(source), index=source.index)
    return result


def _lookup(
    raw: RawTable, table: str, lookup: Lookup, values: dict[str, pd.Series], base_dir: Path
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
    by = values[lookup.by]
    by_text = by.where(by.isna(), by.astype(str).str.strip())
    found = by_text.map(table_map)
    unmatched = by_text.notna() & ~by_text.isin(table_map.index)
    where = path.name if lookup.sheet is None else f"sheet {lookup.sheet} of {path.name}"
    return found, f"no match in {where} (column {lookup.key}) for '" + by_text[unmatched].astype(str) + "'"


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
