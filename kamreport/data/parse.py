"""Parse one source column into its contract type, vectorised, remembering what failed.

Dates accept ISO (with or without time, with or without a time-zone offset: the date is
taken as written), ``YYYY/MM/DD``, ``DD.MM.YYYY``, Excel serial numbers, real date cells,
and any ``date_format`` the params give (e.g. ``%d/%m/%y``).  Booleans accept true/false,
1/0, yes/no, y/n, 是/否.  Numbers must be finite and within ± ``max_abs``.  A value present
in the source that cannot be read, or is not a plausible number, is *failed* (the validator
sets its row aside); an empty value is missing.

Columns are Arrow arrays from end to end (:func:`parse_array`): text is read with Arrow's
kernels, and a column that repeats a few values over millions of lines (dates, codes,
periods, yes/no) is read once per distinct value.  Cells of mixed Python types — an Excel
column holding numbers, dates and text — go through :func:`parse_cells`, which reads each
kind of cell and sends the text cells through the same Arrow path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import MAX_ABS_NUMBER, Column
from kamreport.data.schema import TEXT, TIMESTAMP
from kamreport.periods import normalise_period

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DAY_US = 86_400_000_000
_SERIAL_RANGE = (20_000, 80_000)  # 1954 .. 2119: numbers outside are not dates
_TRUE = {"true", "1", "yes", "y", "t", "是", "1.0"}
_FALSE = {"false", "0", "no", "n", "f", "否", "0.0"}
_ID_SUFFIXES = ("_id", "product_code")
_TEXT_DATE_FORMATS = ("ISO8601", "%Y/%m/%d", "%d.%m.%Y", "%Y/%m/%d %H:%M:%S", "%Y%m%d")
# an ISO date and time followed by a time-zone offset: the offset is dropped, the date kept as written
_ISO_OFFSET = r"^(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$"


Column_: TypeAlias = pa.Array | pa.ChunkedArray


@dataclass
class Parsed:
    """Parsed values (Arrow, the kind's type), the mask of values present but failed, and why some failed.

    ``why`` (index: positions, a subset of the failed ones) explains values that were read
    but refused, such as ``inf``; the other failed values could not be read at all.  Text of
    a large table may come dictionary-encoded (``codes``).
    """

    values: pa.Array | pa.ChunkedArray
    failed: np.ndarray
    why: pd.Series | None = None


def parse_column(
    source: Column_ | pd.Series,
    col: Column,
    date_format: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    max_abs: float = MAX_ABS_NUMBER,
    codes: bool = False,
) -> Parsed:
    """Parse a source column as ``col.kind``; numbers beyond ± ``max_abs`` or not finite fail.

    ``source`` is an Arrow column of text or of a type :func:`needs_cells` says Arrow reads
    (CSV, Parquet, a database), or a pandas Series (Excel cells, a derived column, a lookup,
    a typed column read as pandas reads it).  ``codes``: text that repeats a few values
    (ids, codes, enums, periods) comes back dictionary-encoded — a fraction of the memory
    of ten million strings, and what DuckDB groups and joins on fastest.
    """
    if isinstance(source, pd.Series):
        if not _is_text_series(source):
            return parse_cells(source, col, date_format, decimal, thousands, max_abs)
        source = as_arrow(source)
    if needs_cells(source.type, col.kind):
        return parse_cells(pd.Series(source.to_pandas()), col, date_format, decimal, thousands, max_abs)
    text = is_text(source.type)
    if col.kind == "str":  # any text is a valid string: nothing can fail
        strip = col.name.endswith(_ID_SUFFIXES)
        if codes and repetitive(source):
            return Parsed(_recoded(source, lambda d: text_values(d, strip), True), _none_failed(source))
        return Parsed(text_values(source, strip), _none_failed(source))
    if col.kind == "enum":  # checked against its values by the checks, not here
        lower = lambda d: _per_value(text_values(d, strip=True), str.lower)  # noqa: E731
        return Parsed(_recoded(source, lower, codes), _none_failed(source))
    why = None
    if col.kind in ("float", "int"):
        numbers = text_numbers(source, decimal, thousands) if text else _finite_or_null(source)
        numbers, why = plausible(numbers, max_abs)
        values: Column_ = whole_numbers(numbers) if col.kind == "int" else numbers
    elif col.kind == "date":
        values = text_dates(source, date_format) if text else _timestamps(source)
    elif col.kind == "bool":
        values = per_distinct_bools(source) if text else source
    else:  # period / quarter
        quarters_only = col.kind == "quarter"
        values = _recoded(source, lambda d: _per_value(d, lambda v: _period(v, quarters_only)), codes)
    return Parsed(values, failed_mask(source, values), why)


def is_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type is text."""
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def needs_cells(kind: pa.DataType, target: str) -> bool:
    """Whether a column of this Arrow type is read as pandas cells (:func:`parse_cells`) rather than in Arrow.

    Text is read in Arrow for every kind; numbers, booleans, dates and time stamps for the
    kinds they naturally give.  Anything else (numbers meant as text ids, Excel serials in a
    number column …) is read as pandas reads it, so that the result does not depend on the
    file format.
    """
    if is_text(kind):
        return False
    if target in ("float", "int"):
        return not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind))
    if target == "date":
        return not (pa.types.is_timestamp(kind) or pa.types.is_date(kind))
    if target == "bool":
        return not pa.types.is_boolean(kind)
    return True


# --------------------------------------------------------------------------- text


def repetitive(values: Column_) -> bool:
    """Whether a text column repeats its values (ids, codes) rather than holding one per line (invoice numbers).

    Judged on a sample of about 20,000 values spread over the column: every ``len // 20,000``-th.
    """
    sample = strided(values, max(1, len(values) // 20_000)).drop_null()
    return bool(len(sample)) and pc.count_distinct(sample).as_py() <= 0.5 * len(sample)


def strided(values: Column_, step: int) -> pa.Array:
    """``values[::step]``, taken chunk by chunk.

    Slicing a chunked column with a step takes from the column as one array, which first
    copies every chunk into one (a tenth of a second for ten million strings).
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    picked: list[pa.Array] = []
    offset = 0  # position of the current chunk's first value in the column
    for chunk in chunks:
        first = -offset % step  # the first multiple of step at or after the chunk's start
        if first < len(chunk):
            picked.append(chunk.take(pa.array(np.arange(first, len(chunk), step, dtype=np.int64))))
        offset += len(chunk)
    return pa.concat_arrays(picked) if picked else pa.array([], type=values.type)


def text_values(values: Column_, strip: bool) -> Column_:
    """Text with empty values missing; identifiers lose surrounding spaces, other text stays as written."""
    text = pc.cast(values, TEXT)
    if strip:
        text = pc.utf8_trim_whitespace(text)
    empty = pc.equal(text, "")
    if pc.any(empty).as_py():
        return pc.if_else(empty, pa.scalar(None, TEXT), text)
    return text


def _encoded(values: Column_) -> tuple[pa.Array, pa.ChunkedArray]:
    """The distinct values of a text column and, per row, the position of its value among them."""
    encoded = pc.dictionary_encode(pc.cast(values, TEXT))
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    if any(not c.dictionary.equals(chunks[-1].dictionary) for c in chunks):
        chunks = pa.chunked_array(chunks).unify_dictionaries().chunks
    dictionary = chunks[-1].dictionary if chunks else pa.array([], TEXT)
    return dictionary, pa.chunked_array([c.indices for c in chunks], type=pa.int32())


def _recoded(values: Column_, fn: Callable[[pa.Array], pa.Array], codes: bool) -> Column_:
    """``fn`` applied to each distinct value once: dictionary-encoded when ``codes``, else plain values."""
    dictionary, indices = _encoded(values)
    mapped = fn(dictionary)
    if not codes:
        return pc.take(mapped, indices)
    unique = pc.dictionary_encode(mapped)  # fn may give one value twice ("A1" and " A1") or none
    remapped = pc.take(unique.indices, indices)
    return pa.chunked_array(
        [pa.DictionaryArray.from_arrays(c, unique.dictionary) for c in remapped.chunks],
        type=pa.dictionary(pa.int32(), unique.dictionary.type),
    )


def _per_value(values: pa.Array, fn: Callable[[str], str | None]) -> pa.Array:
    """``fn`` on each (distinct) text value in Python; missing stays missing."""
    return pa.array([None if v is None else fn(v) for v in values.to_pylist()], type=TEXT)


def per_distinct(values: Column_, fn: Callable[[str], str | None]) -> Column_:
    """``fn`` applied once per distinct text value (codes, enums and periods repeat a handful of values)."""
    return _recoded(values, lambda d: _per_value(d, fn), False)


def _period(value: str, quarters_only: bool) -> str | None:
    period = normalise_period(value)
    return period if period and (not quarters_only or "Q" in period) else None


def _none_failed(values: Column_) -> np.ndarray:
    return np.zeros(len(values), dtype=bool)


def failed_mask(source: Column_, values: Column_) -> np.ndarray:
    """Values given but not read; a blank (spaces only) counts as not given.

    Only the few candidates are stripped: stripping every text cell of a large export costs
    more than the parsing itself.
    """
    if is_text(source.type) and values.null_count == source.null_count:
        return _none_failed(source)  # nothing given went missing: the usual case, known at once
    given = pc.is_valid(source)
    if pa.types.is_floating(source.type):  # NaN in a number column is an empty cell
        given = pc.and_(given, pc.invert(pc.is_nan(source)))
    failed = _mask(pc.and_(given, pc.is_null(values)))
    if failed.any() and is_text(source.type):
        where = np.flatnonzero(failed)
        candidates = pc.utf8_trim_whitespace(pc.take(source, pa.array(where)))
        failed[where[_mask(pc.equal(candidates, ""))]] = False
    return failed


# --------------------------------------------------------------------------- numbers


def text_numbers(text: Column_, decimal: str = ".", thousands: str | None = None) -> pa.Array:
    """Numbers from text (``1,234.5`` with ``thousands=','``); unreadable and ``nan`` → missing.

    Arrow's cast when every value reads (the usual case: fast, no Python objects), else the
    values Arrow cannot read are tried one by one.
    """
    if not thousands and decimal == ".":
        try:  # as written: the usual case, no copy of the text
            return _finite_or_null(pc.cast(text, pa.float64()))
        except pa.ArrowException:
            pass
    values = pc.utf8_trim_whitespace(pc.cast(text, TEXT))
    if thousands:
        values = pc.replace_substring(values, thousands, "")
    if decimal != ".":
        values = pc.replace_substring(values, decimal, ".")
    try:
        numbers = pc.cast(values, pa.float64())
    except pa.ArrowException:  # one value is not a number: read value by value
        read = pd.to_numeric(pd.Series(values.to_pandas()), errors="coerce").astype("float64")
        numbers = pa.array(read.to_numpy(), type=pa.float64(), from_pandas=True)
    return _finite_or_null(numbers)


def _finite_or_null(numbers: Column_) -> Column_:
    """NaN is not a value: missing (inf stays, for :func:`plausible` to refuse)."""
    numbers = pc.cast(numbers, pa.float64())
    nan = np.isnan(numbers.to_numpy(zero_copy_only=False))
    if nan.any():
        return pc.if_else(pa.array(nan), pa.scalar(None, pa.float64()), numbers)
    return numbers


def plausible(values: Column_, max_abs: float) -> tuple[Column_, pd.Series | None]:
    """Numbers that are finite and within ± ``max_abs``; the others become missing, with why (index: positions)."""
    bounds = pc.min_max(values).as_py()  # inf and NaN-free numbers within the bounds: the usual case, one pass
    if bounds["min"] is None or (-max_abs <= bounds["min"] and bounds["max"] <= max_abs):
        return values, None
    array = values.to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(array)
        beyond = ~infinite & (np.abs(array) > max_abs)
    bad = infinite | beyond
    if not bad.any():
        return values, None
    where = np.flatnonzero(bad)
    shown = array[where]
    why = pd.Series(
        [
            f"'{_float_text(v)}' is not a finite number"
            if np.isinf(v)
            else f"'{v:g}' is beyond ±{max_abs:g} (validation.max_abs_number)"
            for v in shown
        ],
        index=where,
        dtype=object,
    )
    return pc.if_else(pa.array(bad), pa.scalar(None, pa.float64()), values), why


def _float_text(value: float) -> str:
    return str(pd.Series([value], dtype="float64").astype(str).iloc[0])  # as pandas writes it: inf, -inf


def whole_numbers(values: Column_) -> pa.Array:
    """Whole numbers as integers; a fraction (1.5 in an integer column) is missing, hence failed."""
    array = values.to_numpy(zero_copy_only=False)
    whole = np.isnan(array) | (array == np.floor(array))
    kept = np.where(whole & ~np.isnan(array), np.round(array), 0.0).astype(np.int64)
    return pa.array(kept, type=pa.int64(), mask=~(whole & ~np.isnan(array)))


# --------------------------------------------------------------------------- dates


def text_dates(text: Column_, date_format: str | None = None) -> Column_:
    """Dates (day precision) from text, each distinct value read once."""

    def read(distinct: pa.Array) -> pa.Array:
        parsed = _text_dates(pd.Series(distinct.to_pandas(), dtype="string").str.strip(), date_format)
        return pa.array(parsed.to_numpy(), type=TIMESTAMP, from_pandas=True)

    return _recoded(text, read, False)


def _timestamps(array: Column_) -> Column_:
    """Date or time stamps as dates: a time-zone stamp keeps its local date, a time of day is dropped."""
    if pa.types.is_timestamp(array.type) and array.type.tz is not None:
        array = pc.local_timestamp(array)
    if pa.types.is_date(array.type):
        array = pc.cast(array, pa.date32())
    stamps = pc.cast(array, TIMESTAMP)
    ticks = stamps.to_numpy(zero_copy_only=False).view("i8")
    valid = _mask(pc.is_valid(stamps))
    if (ticks[valid] % _DAY_US).any():  # times of day to drop (rare in date columns)
        stamps = pc.floor_temporal(stamps, unit="day")
    return stamps


def _text_dates(text: pd.Series, date_format: str | None) -> pd.Series:
    """Distinct text dates read with ``date_format``, else the known formats and Excel serials in turn."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if not date_format:
        text = text.str.replace(_ISO_OFFSET, r"\1", regex=True)
    todo = text.notna()
    for fmt in (date_format,) if date_format else _TEXT_DATE_FORMATS:
        if not todo.any():
            break
        result[todo] = _naive(_to_datetime(text[todo], fmt)).dt.normalize()
        todo = text.notna() & result.isna()
    if todo.any() and not date_format:
        result[todo] = _from_serial(pd.to_numeric(text[todo], errors="coerce"))
    return result


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    """``pd.to_datetime`` with unreadable values missing; offsets that differ (``%z``) are each kept as written."""
    try:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    except ValueError:  # mixed time-zone offsets: parse value by value, dropping each offset
        return pd.Series(
            [_naive_one(pd.to_datetime(v, format=fmt, errors="coerce")) for v in text],
            index=text.index,
            dtype="datetime64[us]",
        )


def _naive(values: pd.Series) -> pd.Series:
    return values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values


def _naive_one(value: pd.Timestamp) -> pd.Timestamp:
    return value.tz_localize(None) if not pd.isna(value) and value.tzinfo is not None else value


def _from_serial(numbers: pd.Series) -> pd.Series:
    valid = numbers.between(*_SERIAL_RANGE)
    days = numbers.where(valid).round()
    return (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[us]")


# --------------------------------------------------------------------------- booleans


def text_bools(text: pa.Array) -> pa.Array:
    """Booleans from the words of the module docstring (``text``: distinct values); anything else → missing."""
    words = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(text, TEXT)))
    true = pc.is_in(words, value_set=pa.array(sorted(_TRUE), type=TEXT))
    false = pc.is_in(words, value_set=pa.array(sorted(_FALSE), type=TEXT))
    return pc.if_else(true, True, pc.if_else(false, pa.scalar(False), pa.scalar(None, pa.bool_())))


# --------------------------------------------------------------------------- cells of mixed types


def parse_cells(
    series: pd.Series,
    col: Column,
    date_format: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    max_abs: float = MAX_ABS_NUMBER,
) -> Parsed:
    """Parse a pandas column whose cells may be of any Python type (Excel), or of a type Arrow is not read in.

    Number, date and boolean cells are read as what they are; text cells go through the
    Arrow path of :func:`parse_column`.
    """
    why = None
    if col.kind in ("str", "enum"):
        return parse_column(as_arrow(series.astype("string")), col, date_format, decimal, thousands, max_abs)
    if col.kind in ("float", "int"):
        numbers, why = plausible(_cell_numbers(series, decimal, thousands), max_abs)
        values: pa.Array = whole_numbers(numbers) if col.kind == "int" else numbers
    elif col.kind == "date":
        values = pa.array(_cell_dates(series, date_format).to_numpy(), type=TIMESTAMP, from_pandas=True)
    elif col.kind == "bool" and pd.api.types.is_bool_dtype(series):
        values = pa.array(series.astype("boolean"), type=pa.bool_(), from_pandas=True)
    elif col.kind == "bool":
        values = per_distinct_bools(as_arrow(series.astype("string")))
    else:  # period / quarter
        quarters_only = col.kind == "quarter"
        values = per_distinct(as_arrow(series.astype("string")), lambda v: _period(v, quarters_only))
    return Parsed(values, _cells_failed(series, values), why)


def per_distinct_bools(text: Column_) -> Column_:
    """:func:`text_bools` read once per distinct value."""
    return _recoded(text, text_bools, False)


def _cell_numbers(series: pd.Series, decimal: str, thousands: str | None) -> pa.Array:
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return _finite_or_null(pa.array(series.astype("float64").to_numpy(), type=pa.float64(), from_pandas=True))
    is_number = series.map(_is_number).astype(bool)
    numbers = pd.to_numeric(series.where(is_number), errors="coerce").astype("float64")
    text = series.where(~is_number).astype("string")
    read = text_numbers(as_arrow(text), decimal, thousands).to_numpy(zero_copy_only=False)
    combined = numbers.to_numpy(copy=True)
    combined[~is_number.to_numpy()] = read[~is_number.to_numpy()]
    return _finite_or_null(pa.array(combined, type=pa.float64(), from_pandas=True))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _cell_dates(series: pd.Series, date_format: str | None) -> pd.Series:
    """Dates from date cells, Excel serials or text."""
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = pa.array(series, from_pandas=True)
        return pd.Series(_timestamps(stamps).to_numpy(zero_copy_only=False), index=series.index)
    if pd.api.types.is_numeric_dtype(series):
        return _from_serial(series.astype("float64"))
    result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    if series.dtype == object:
        cells = series.map(lambda v: isinstance(v, datetime | date | pd.Timestamp)).astype(bool)
        if cells.any():
            result[cells] = pd.to_datetime(series[cells].map(pd.Timestamp)).dt.normalize()
        numbers = series.map(_is_number).astype(bool)
        if numbers.any():
            result[numbers] = _from_serial(series[numbers].astype("float64"))
        series = series.where(~(cells | numbers))
    text = series.astype("string")
    todo = text.notna() & result.isna()
    if todo.any():
        read = text_dates(as_arrow(text[todo]), date_format)
        result[todo] = read.to_numpy(zero_copy_only=False)
    return result.astype("datetime64[us]")


def _cells_failed(series: pd.Series, values: Column_) -> np.ndarray:
    """:func:`failed_mask` for cells: a cell given but not read, blanks (spaces only) aside."""
    failed: np.ndarray = series.notna().to_numpy(dtype=bool) & _mask(pc.is_null(values))
    if failed.any() and not pd.api.types.is_numeric_dtype(series):
        candidates = series[failed].astype("string").str.strip().fillna("")
        failed[np.flatnonzero(failed)[(candidates == "").to_numpy(dtype=bool)]] = False
    return failed


# --------------------------------------------------------------------------- conversions


def _mask(values: Column_) -> np.ndarray:
    """A boolean Arrow column as numpy, missing as False."""
    return np.asarray(values.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _is_text_series(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype) or (
        isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_string(series.dtype.pyarrow_dtype)
    )


def as_arrow(text: pd.Series) -> pa.Array:
    """A text Series as one contiguous Arrow array (pandas may hold it in several chunks)."""
    array = pa.array(text, type=TEXT, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
