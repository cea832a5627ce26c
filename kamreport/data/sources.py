"""Read a table's source files into a :class:`~kamreport.data.raw.RawTable`, values as written.

``read_raw`` reads every file of a table (CSV of any delimiter, gzip, Parquet, Excel) into
the *source* columns, each row tagged with its file and row number.  CSV and Parquet are read
by Arrow into Arrow (the CSV's cells as text), Excel by calamine into pandas cells;
:mod:`kamreport.data.canonical` then maps and parses them into the contract's columns.

Row numbers are what a person sees: in a CSV or a sheet the header is row ``header_row``
(1 by default) and the first data row the next one; in Parquet the first record is row 1.
"""

from __future__ import annotations

import csv
import difflib
import glob
import gzip
import io
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kamreport.data.raw import BAD_LINE_COLUMNS, META, RawTable, concat_raw
from kamreport.data.schema import TEXT
from kamreport.errors import InputError
from kamreport.params import RunParams, TableSource, expand_env

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
    """Read every file of ``table`` into its source columns, values as written.

    A SQL source (``connection`` and ``sql``) is read by :mod:`kamreport.data.sql`, which needs
    the run's ``params`` (its connections and the dates bound to the query).
    """
    if spec.is_sql:
        from kamreport.data.sql import read_sql_table  # it builds on this module

        if params is None:
            raise ValueError(f"table {table} is a SQL source: read_raw needs the run's params")
        return read_sql_table(table, spec, params)
    files = resolve_paths(table, spec, base_dir)
    parts: list[tuple[Path, pa.Table | pd.DataFrame, np.ndarray]] = []
    bad: list[tuple[str, int, str, str]] = []
    for path in files:
        data, rows, bad_lines = read_file(table, path, spec)
        parts.append((path, data, rows))
        bad.extend((str(path), number, reason, text) for number, reason, text in bad_lines)
    data, rows, codes = concat_raw(table, parts)
    return RawTable(table, data, files, rows, codes, bad_lines=pd.DataFrame(bad, columns=BAD_LINE_COLUMNS))


BadLine = tuple[int, str, str]  # (row number, reason, the line as read)


def read_file(table: str, path: Path, spec: TableSource) -> tuple[pa.Table | pd.DataFrame, np.ndarray, list[BadLine]]:
    """Read one file: its source columns, the row number of each row, and the lines it could not split.

    Rows whose every cell is empty (blank lines, blank sheet rows) are not data: they are
    skipped, and the row numbers of the others stay those of the file.
    """
    kind = file_kind(path)
    bad: list[BadLine] = []
    data: pa.Table | pd.DataFrame
    if kind == "parquet":
        data = _read_parquet(table, path)
        rows = np.arange(1, data.num_rows + 1, dtype=np.int64)
    elif kind == "excel":
        frame = read_sheet(table, path, spec.sheet, spec.header_row)
        rows = spec.header_row + 1 + frame.index.to_numpy(dtype=np.int64)  # blank rows dropped, numbers kept
        frame.columns = [str(c) for c in frame.columns]
        data = frame.reset_index(drop=True)
    else:
        data, rows, bad = _read_csv(table, path, spec)
    names = data.column_names if isinstance(data, pa.Table) else list(data.columns)
    reserved = [c for c in META if c in names]
    if reserved:
        raise InputError(
            f"table {table}: {path} has a column named '{reserved[0]}', a name kamreport keeps for the file and "
            "row number of each row in data_quality.csv. Rename that column in the export and run again."
        )
    return data, rows, bad


def _read_parquet(table: str, path: Path) -> pa.Table:
    """A Parquet file as Arrow; a pandas index stored as a column is left out, as pandas would."""
    try:
        data = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputError(f"table {table}: cannot read {path} as Parquet: {exc}") from exc
    index = [c for c in (data.schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)]
    data = data.drop_columns([c for c in index if c in data.column_names])
    return data.rename_columns([str(c) for c in data.column_names])


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
    data = read_file(table, path, TableSource())[0]
    return data.to_pandas() if isinstance(data, pa.Table) else data


def _open_text(path: Path) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path, "rb") if _gzipped(path) else open(path, "rb")


def _gzipped(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _encoding(spec: TableSource) -> str:
    return _ENCODING_ALIASES.get(spec.encoding.lower(), spec.encoding)


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding.lower().replace("_", "-") in ("utf-8-sig", "utf-8", "utf8") else encoding


def sniff_delimiter(path: Path, encoding: str, header_row: int = 1) -> str:
    """The delimiter that splits the header line into the most fields."""
    with _open_text(path) as fh:
        head = fh.read(1 << 16).decode(encoding, errors="replace")
    lines = head.splitlines()
    header = lines[header_row - 1] if len(lines) >= header_row else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(table: str, path: Path, spec: TableSource) -> tuple[pa.Table, np.ndarray, list[BadLine]]:
    """Read a CSV with Arrow, every cell as text; a file with lines that do not split is read again line by line.

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
                data = pacsv.read_csv(
                    source,
                    # UTF-8 (with or without a byte-order mark) is Arrow's own, read in parallel;
                    # another encoding is decoded through Python's codecs as the file is read
                    read_options=pacsv.ReadOptions(skip_rows=spec.header_row - 1, encoding=_arrow_encoding(encoding)),
                    # blank lines kept as empty rows, so that row numbers stay the file's
                    parse_options=pacsv.ParseOptions(
                        delimiter=delimiter, ignore_empty_lines=False, invalid_row_handler=count_bad
                    ),
                    convert_options=pacsv.ConvertOptions(
                        default_column_type=TEXT, null_values=[""], strings_can_be_null=True
                    ),
                )
        except (ValueError, TypeError) as exc:
            if any(word in str(exc).lower() for word in ("codec", "decode", "utf")):
                raise UnicodeDecodeError(encoding, b"", 0, 1, str(exc)) from exc
            bad_count = 1  # Arrow could not read it: let the line reader say why
        if bad_count:
            return _read_csv_by_line(path, encoding, delimiter, spec.header_row)
        data = data.rename_columns(header_names(data.column_names))  # names decode here: inside the try
    except UnicodeDecodeError as exc:
        raise InputError(
            f"table {table}: cannot read {path} as {spec.encoding} text ({exc.reason}). "
            f"Set data.tables.{table}.encoding in the params file: gbk for a Chinese Excel export, "
            "latin-1 for a Western one, utf-8 otherwise."
        ) from exc
    except csv.Error as exc:
        raise InputError(f"table {table}: cannot parse {path} as CSV: {exc}. Check its delimiter and quoting.") from exc
    except StopIteration as exc:
        raise InputError(f"table {table}: {path} is empty; it needs at least a header line.") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(_unreadable(table, path, exc)) from exc
    rows = _line_numbers(data, spec.header_row)
    if data.num_columns and data.num_rows:
        blank = _all_null(data)
        if blank.any():
            keep = pa.array(~blank)
            data, rows = data.filter(keep), rows[~blank]
    return data, rows, []


def header_names(names: list[str]) -> list[str]:
    """Column names as pandas gives them.

    An empty name is ``Unnamed: <i>``, a repeated one ``name.1``, ``name.2`` …
    """
    named = [name if name != "" else f"Unnamed: {i}" for i, name in enumerate(names)]
    counts: dict[str, int] = defaultdict(int)
    result = []
    for name in named:
        count = counts[name]
        while count > 0:
            counts[name] = count + 1
            name = f"{name}.{count}"
            count = counts[name]
        result.append(name)
        counts[name] = count + 1
    return result


def _all_null(data: pa.Table) -> np.ndarray:
    """Rows whose every cell is empty."""
    blank = pc.is_null(data.column(0))
    for column in data.columns[1:]:
        blank = pc.and_(blank, pc.is_null(column))
    return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)


def _unreadable(table: str, path: Path, exc: BaseException) -> str:
    if _gzipped(path):
        return (
            f"table {table}: cannot read {path} as a gzip file ({exc}): it is truncated or not gzip-compressed. "
            "Export or download it again (a plain CSV should not end in .gz)."
        )
    return f"table {table}: cannot read {path}: {exc}."


def _line_numbers(data: pa.Table, header_row: int) -> np.ndarray:
    """The line each row starts on: rows follow the header line by line, unless a quoted cell holds a line break."""
    rows = np.arange(header_row + 1, header_row + 1 + data.num_rows, dtype=np.int64)
    breaks = np.zeros(data.num_rows, dtype=np.int64)
    for column in data.columns:
        if any(_holds_line_break(chunk) for chunk in column.chunks):  # usually not, found at memory speed
            counts = pc.count_substring_regex(column, "\r\n|\r|\n").fill_null(0)
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
) -> tuple[pa.Table, np.ndarray, list[BadLine]]:
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
    names = header_names(header)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    data = pa.table(
        {
            name: pa.array([v if v != "" else None for v in values], type=TEXT)
            for name, values in zip(names, columns, strict=True)
        }
    )
    return data, np.asarray(numbers, dtype=np.int64), bad
