"""Parse one source column into its contract type, vectorised, remembering what failed.

Dates accept ISO (with or without time, with or without a time-zone offset: the date is
taken as written), ``YYYY/MM/DD``, ``DD.MM.YYYY``, Excel serial numbers, real date cells,
and any ``date_format`` the params give (e.g. ``%d/%m/%y``).  Booleans accept true/false,
1/0, yes/no, y/n, 是/否.  Numbers must be finite and within ± ``max_abs``.  A value present
in the source that cannot be read, or is not a plausible number, is *failed* (the validator
sets its row aside); an empty value is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import MAX_ABS_NUMBER, Column
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


@dataclass
class ParseResult:
    """Parsed values, the mask of values present but failed, and why some of those failed.

    ``why`` (index: a subset of the failed rows) explains values that were read but refused,
    such as ``inf``; the other failed values could not be read at all.
    """

    values: pd.Series
    failed: pd.Series
    why: pd.Series | None = None


def parse_column(
    series: pd.Series,
    col: Column,
    date_format: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    max_abs: float = MAX_ABS_NUMBER,
) -> ParseResult:
    """Parse ``series`` as ``col.kind``; numbers beyond ± ``max_abs`` or not finite fail."""
    if col.kind == "str":  # any text is a valid string: nothing can fail
        values = _text(series, strip=col.name.endswith(_ID_SUFFIXES))
        return ParseResult(values, pd.Series(False, index=series.index))
    if col.kind == "enum":  # checked against its values by the schema, not here
        values = _per_unique(_text(series, strip=True), str.lower)
        return ParseResult(values, pd.Series(False, index=series.index))
    why = None
    if col.kind in ("float", "int"):
        values = parse_numbers(series, decimal, thousands)
        values, why = _plausible(values, max_abs)
        if col.kind == "int":
            whole = values.isna() | (values == np.floor(values))
            values = values.where(whole).round().astype("Int64")
    elif col.kind == "date":
        values = parse_dates(series, date_format)
    elif col.kind == "bool":
        values = parse_bools(series)
    else:  # period / quarter
        values = _periods(series, quarters_only=col.kind == "quarter")
    return ParseResult(values, _failed(series, values), why)


def _plausible(values: pd.Series, max_abs: float) -> tuple[pd.Series, pd.Series | None]:
    """Numbers that are finite and within ± ``max_abs``; the others become missing, with why."""
    array = values.to_numpy()
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(array)
        beyond = ~infinite & (np.abs(array) > max_abs)
    if not (infinite.any() or beyond.any()):
        return values, None
    shown = values[infinite | beyond]
    why = pd.Series(
        np.where(
            np.isinf(shown.to_numpy()),
            "'" + shown.astype(str) + "' is not a finite number",
            "'" + shown.map(lambda v: f"{v:g}") + f"' is beyond ±{max_abs:g} (validation.max_abs_number)",
        ),
        index=shown.index,
    )
    return values.mask(infinite | beyond), why


def _failed(series: pd.Series, values: pd.Series) -> pd.Series:
    """Values given but not read; a blank (spaces only) counts as not given.

    Only the few candidates are stripped: stripping every text cell of a large export costs
    more than the parsing itself.
    """
    failed = series.notna() & values.isna()
    if failed.any() and not pd.api.types.is_numeric_dtype(series):
        candidates = series[failed].astype("string").str.strip().fillna("")
        failed[candidates.index[candidates == ""]] = False
    return failed


def _text(series: pd.Series, strip: bool) -> pd.Series:
    """Text with empty values missing; identifiers lose surrounding spaces, other text stays as written."""
    text = series.astype("string")
    if strip:
        text = text.str.strip()
    return text.mask(text == "")


def _per_unique(series: pd.Series, fn: Callable[[str], str | None]) -> pd.Series:
    """Apply ``fn`` once per distinct value (enum and period columns repeat a handful of values)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype="string")


def parse_numbers(series: pd.Series, decimal: str = ".", thousands: str | None = None) -> pd.Series:
    """Numbers from numbers or text (``1,234.5`` with ``thousands=','``); unreadable → missing."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    if series.dtype == object:  # Excel cells: numbers stay numbers, text is read
        numbers = pd.to_numeric(series.where(series.map(_is_number)), errors="coerce")
        text = series.where(~series.map(_is_number)).astype("string")
        return numbers.fillna(_text_numbers(text, decimal, thousands)).astype("float64")
    return _text_numbers(series.astype("string"), decimal, thousands)


def _text_numbers(text: pd.Series, decimal: str, thousands: str | None) -> pd.Series:
    """Arrow's cast when every value reads (the usual case: fast, no Python objects), else per value."""
    values = pc.utf8_trim_whitespace(as_arrow(text))
    if thousands:
        values = pc.replace_substring(values, thousands, "")
    if decimal != ".":
        values = pc.replace_substring(values, decimal, ".")
    try:
        numbers = pc.cast(values, pa.float64())
    except pa.ArrowException:  # one value is not a number: read value by value
        return pd.to_numeric(pd.Series(values.to_pandas(), index=text.index), errors="coerce").astype("float64")
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def parse_dates(series: pd.Series, date_format: str | None = None) -> pd.Series:
    """Dates (day precision) from date cells, Excel serials or text."""
    if pd.api.types.is_datetime64_any_dtype(series):
        result = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        result = result.astype("datetime64[us]")
        ticks = result.to_numpy().view("i8")
        if (ticks[~np.isnat(result.to_numpy())] % _DAY_US).any():  # times of day to drop (rare in date columns)
            result = result.dt.normalize()
        return result
    if pd.api.types.is_numeric_dtype(series):
        return _from_serial(series.astype("float64"))
    result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    if series.dtype == object:
        cells = series.map(lambda v: isinstance(v, datetime | date | pd.Timestamp))
        if cells.any():
            result[cells] = pd.to_datetime(series[cells].map(pd.Timestamp)).dt.normalize()
        numbers = series.map(_is_number)
        if numbers.any():
            result[numbers] = _from_serial(series[numbers].astype("float64"))
        series = series.where(~(cells | numbers))
    text = series.astype("string")
    todo = text.notna() & result.isna()
    if todo.any():
        # a date column repeats a few thousand values over millions of lines: read each once
        encoded = pc.dictionary_encode(as_arrow(text[todo]))
        distinct = pd.Series(encoded.dictionary.to_pandas(), dtype="string").str.strip()
        parsed = _text_dates(distinct, date_format).to_numpy()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        result[todo] = parsed[codes]
    return result.astype("datetime64[us]")


def as_arrow(text: pd.Series) -> pa.Array:
    """A text Series as one contiguous Arrow array (pandas may hold it in several chunks)."""
    array = pa.array(text, type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


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


def parse_bools(series: pd.Series) -> pd.Series:
    """Booleans from bools, 1/0 or the words of the module docstring; anything else → missing."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    text = series.astype("string").str.strip().str.lower()
    result = pd.Series(pd.NA, index=series.index, dtype="boolean")
    result[text.isin(_TRUE).fillna(False).astype(bool)] = True
    result[text.isin(_FALSE).fillna(False).astype(bool)] = False
    return result


def _periods(series: pd.Series, quarters_only: bool) -> pd.Series:
    def read(value: str) -> str | None:
        period = normalise_period(value)
        return period if period and (not quarters_only or "Q" in period) else None

    return _per_unique(series.astype("string"), read)
