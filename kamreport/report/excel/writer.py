"""Write one :class:`~kamreport.report.sections.Table` to a worksheet: the one function every table goes through.

Headers are the columns' labels, values are written by unit (numbers as numbers with the
unit's format, enum values through :func:`value_label`, text always as a string so that a
name such as ``=1+1`` is shown, never run), missing values as styled blanks (never NaN),
and a table with rows becomes an Excel table with a filter.  Work is column-wise: one
conversion and one width estimate per column, then a tight loop of typed writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype
from xlsxwriter.worksheet import Worksheet

from kamreport.params import Language
from kamreport.report.excel.measure import number_width, numbers_width, text_width, texts_width
from kamreport.report.excel.styles import Styles
from kamreport.report.format import DIGITS, NotMeaningful, not_meaningful_text
from kamreport.report.labels import column_label, t, value_label
from kamreport.report.sections import Table

TEXT_UNITS = ("text", "label")
INDENT = 1.0  # characters of the one-level indent of text cells
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


@dataclass
class Placed:
    """Where a table was written on its sheet, and what its columns need."""

    sheet: str
    header_row: int
    columns: list[str]
    labels: list[str]
    n_rows: int
    content_widths: list[float] = field(default_factory=list)
    total_row: bool = False
    first_col: int = 0
    wrapped: dict[int, list[str | None]] = field(default_factory=dict)  # sheet column → texts that may wrap

    @property
    def last_col(self) -> int:
        """The table's last sheet column."""
        return self.first_col + len(self.columns) - 1

    @property
    def first_row(self) -> int:
        """The first data row (zero-based)."""
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last data row (the header row when the table is empty)."""
        return self.header_row + self.n_rows

    @property
    def body_last_row(self) -> int:
        """The last data row that is not a total."""
        return self.last_row - (1 if self.total_row else 0)

    def col(self, column: str) -> int:
        """The sheet column of ``column``."""
        return self.first_col + self.columns.index(column)

    def cells(self, column: str, totals: bool = False) -> list[Any]:
        """``[sheet, first_row, col, last_row, col]`` of a column's data (a chart range)."""
        col = self.col(column)
        return [self.sheet, self.first_row, col, self.last_row if totals else self.body_last_row, col]


def unique_labels(labels: list[str]) -> list[str]:
    """Header labels made unique: an Excel table refuses repeated headers, so repeats get `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def text_values(series: pd.Series) -> tuple[list[str | None], float]:
    """A column as strings (missing and empty → None) and its widest display width."""
    values = [None if _is_missing(v) or v == "" else str(v) for v in series.tolist()]
    return values, texts_width(values)


def label_values(series: pd.Series, lang: Language) -> tuple[list[str | None], float]:
    """Enum values translated with :func:`value_label` (missing → None) and the widest label."""
    mapping: dict[object, str] = {}
    values: list[str | None] = []
    for value in series.tolist():
        if _is_missing(value):
            values.append(None)
            continue
        if value not in mapping:
            mapping[value] = value_label(value, lang)
        values.append(mapping[value])
    return values, texts_width(list(mapping.values()))


def number_values(series: pd.Series, unit: str) -> np.ndarray:
    """A column as float64 (dates as Excel serial days); anything not a finite number becomes NaN.

    Shares, points and multiples are rounded to the decimals their format shows, so the sign
    a cell shows and the colour its thresholds give agree with the figure printed
    (−0.04 points is written as 0.0, never shown as ``-0.0 pp`` in amber).
    """
    if unit == "date":
        days = (pd.to_datetime(series, errors="coerce") - EXCEL_EPOCH) / pd.Timedelta(days=1)
        return np.asarray(days, dtype="float64")
    if is_numeric_dtype(series.dtype):  # ints, floats, bools, nullable and Arrow numbers: missing → NaN
        numbers = series.to_numpy(dtype="float64", na_value=np.nan)
    else:  # objects (n.m. cells among the numbers), text
        numbers = np.asarray(pd.to_numeric(series, errors="coerce").astype("float64"), dtype="float64")
    if unit in DIGITS:
        numbers = np.round(numbers, DIGITS[unit]) + 0.0
    return np.where(np.isfinite(numbers), numbers, np.nan)


class TableWriter:
    """Writes tables onto one worksheet with a workbook's styles."""

    def __init__(self, worksheet: Worksheet, styles: Styles, max_width: float) -> None:
        self.ws = worksheet
        self.styles = styles
        self.lang = styles.lang
        self.max_width = max_width

    def write(self, table: Table, row: int, name: str, first_col: int = 0) -> Placed:
        """Write ``table`` with its header on ``row`` from ``first_col``; an Excel table ``name`` when it has rows.

        Parameters
        ----------
        table
            The section table (canonical column ids, a unit per column).
        row
            Zero-based sheet row of the header.
        name
            The Excel table's name (unique in the workbook, letters, digits and ``_``).
        first_col
            Zero-based sheet column of its first column.

        Returns
        -------
        Placed
            Where the table went and the width its columns' values need.
        """
        frame = table.frame  # read by position: its index does not matter
        shown = table.shown
        labels = unique_labels([column_label(c, self.lang) for c in shown])
        n = len(frame)
        total = n > 1 and str(frame[shown[0]].iloc[-1]) == t("total", self.lang)
        placed = Placed(self.ws.name, row, shown, labels, n, total_row=total, first_col=first_col)
        headers = [self.styles.header(table.units.get(c, "text")) for c in shown]
        for col, column in enumerate(shown):
            placed.content_widths.append(self._column(table, frame, column, row + 1, first_col + col, total, placed))
        if n:
            self.ws.add_table(
                row,
                first_col,
                row + n,
                placed.last_col,
                {
                    "name": name,
                    "style": self.styles.theme.layout.table_style,
                    "autofilter": True,
                    "columns": [{"header": lab, "header_format": f} for lab, f in zip(labels, headers, strict=True)],
                },
            )
        else:
            for col, (label, fmt) in enumerate(zip(labels, headers, strict=True)):
                self.ws.write_string(row, first_col + col, label, fmt)
        return placed

    def _column(
        self, table: Table, frame: pd.DataFrame, column: str, row: int, col: int, total: bool, placed: Placed
    ) -> float:
        """Write one column's values from ``row`` down; return the width they need (wrapping text is noted)."""
        unit = table.units.get(column, "text")
        series = frame[column]
        if unit.startswith("@"):
            return self._mixed_column(table, series, row, col, total)
        if unit in TEXT_UNITS:
            values, width = label_values(series, self.lang) if unit == "label" else text_values(series)
            wrap = width > self.max_width
            if wrap:
                placed.wrapped[col] = values
            self._strings(values, row, col, self._formats(unit, len(values), total, wrap))
            return width + (INDENT if unit == "text" else 0.0)
        numbers = number_values(series, unit)
        self._numbers(numbers, row, col, self._formats(unit, len(numbers), total))
        width = numbers_width(numbers, unit, self.styles.currency, self.lang)
        return max(width, self._not_meaningful(series, row, col, total))

    def _not_meaningful(self, series: pd.Series, row: int, col: int, total: bool) -> float:
        """Write ``n.m.`` where a number column holds a not-meaningful ratio; return the width it needs (0: none)."""
        if series.dtype != object:
            return 0.0
        last = len(series) - 1
        text = not_meaningful_text(self.lang)
        found = [i for i, value in enumerate(series.tolist()) if isinstance(value, NotMeaningful)]
        for i in found:
            self.ws.write_string(row + i, col, text, self.styles.not_meaningful(total and i == last))
        return texts_width([text]) if found else 0.0

    def _mixed_column(self, table: Table, series: pd.Series, row: int, col: int, total: bool) -> float:
        """A column whose unit is given per row (the scorecard's value column).

        The rows of one unit are converted together (a Series per cell cost a plan about a
        tenth of its workbook); each cell is written, and measured, as a column of that unit's would be.
        """
        last = len(series) - 1
        values = series.tolist()
        rows_of: dict[str, list[int]] = {}
        for i, unit in enumerate(table.row_units(str(series.name))):
            rows_of.setdefault(unit, []).append(i)
        width = 0.0
        not_meaningful = not_meaningful_text(self.lang)
        for unit, rows in rows_of.items():
            part = series.iloc[rows]
            formats = [self.styles.cell(unit, total and i == last) for i in rows]
            if unit in TEXT_UNITS:
                strings, size = label_values(part, self.lang) if unit == "label" else text_values(part)
                for i, text, fmt in zip(rows, strings, formats, strict=True):
                    self._strings([text], row + i, col, [fmt])
                width = max(width, size)
                continue
            numbers = number_values(part, unit).tolist()
            for i, number, fmt in zip(rows, numbers, formats, strict=True):
                if isinstance(values[i], NotMeaningful):
                    self.ws.write_string(row + i, col, not_meaningful, self.styles.not_meaningful(total and i == last))
                    width = max(width, text_width(not_meaningful))
                elif number != number:  # NaN: a blank keeps the cell's format
                    self.ws.write_blank(row + i, col, None, fmt)
                else:
                    self.ws.write_number(row + i, col, number, fmt)
                    width = max(width, number_width(number, unit, self.styles.currency, self.lang))
        return width

    def _formats(self, unit: str, n: int, total: bool, wrap: bool = False) -> list[Any]:
        body = self.styles.cell(unit, False, wrap)
        formats = [body] * n
        if total and n:
            formats[-1] = self.styles.cell(unit, True, wrap)
        return formats

    def _strings(self, values: list[str | None], row: int, col: int, formats: list[Any]) -> None:
        write_string, write_blank = self.ws.write_string, self.ws.write_blank
        for i, value in enumerate(values):
            if value is None:
                write_blank(row + i, col, None, formats[i])
            else:
                write_string(row + i, col, value, formats[i])

    def _numbers(self, values: np.ndarray, row: int, col: int, formats: list[Any]) -> None:
        write_number, write_blank = self.ws.write_number, self.ws.write_blank
        for i, value in enumerate(values.tolist()):
            if value != value:  # NaN: a blank keeps the cell's format and never becomes #NUM!
                write_blank(row + i, col, None, formats[i])
            else:
                write_number(row + i, col, value, formats[i])

    def link(self, table: Table, placed: Placed, key: str, column: str, urls: dict[str, str]) -> int:
        """Turn ``column`` cells into links to ``urls[key value]``; the shown text stays the cell's text.

        Returns
        -------
        int
            How many cells were linked.
        """
        if not urls or column not in placed.columns or key not in table.frame:
            return 0
        frame = table.frame
        col = placed.col(column)
        fmt = self.styles.link(col in placed.wrapped)
        linked = 0
        for i, (account, name) in enumerate(zip(frame[key].tolist(), frame[column].tolist(), strict=True)):
            url = None if _is_missing(account) else urls.get(str(account))
            if url is None:
                continue
            text = str(account) if _is_missing(name) or str(name) == "" else str(name)
            target = url if "://" in url else f"external:{url}"
            self.ws.write_url(placed.first_row + i, col, target, fmt, string=text)
            linked += 1
        return linked
