"""Values as text for the HTML reports and chart labels (the workbook uses Excel number formats).

One function per unit, so a share reads ``35.8%`` and a change ``+0.8 pp`` (``+0.8 个百分点``)
wherever it appears.  Numbers are rounded to what is shown before their sign is chosen: a
change of −0.04 points reads ``+0.0 pp``, never ``−0.0 pp``.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import SupportsFloat

import pandas as pd

from kamreport.params import Language
from kamreport.params.report import money
from kamreport.report.labels import value_label

MISSING = {"en": "n/a", "zh": "—"}
NOT_MEANINGFUL_TEXT = {"en": "n.m.", "zh": "无意义"}
POINTS = {"en": " pp", "zh": " 个百分点"}
DIGITS = {"share": 3, "pp": 1, "multiple": 2}  # decimals shown (a share's 0.1 % is its third)


class NotMeaningful:
    """A ratio over a base too small to mean anything (:func:`kamreport.registry.meaningful`).

    Tables carry :data:`NOT_MEANINGFUL` in such a cell instead of the number (an object, not
    text: pandas keeps it as it is); the workbook and the HTML show it as ``n.m.`` /
    ``无意义``, and no threshold colours it.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return NOT_MEANINGFUL_TEXT["en"]

    __str__ = __repr__


NOT_MEANINGFUL = NotMeaningful()


def not_meaningful_text(lang: Language = "en") -> str:
    """What a not-meaningful value reads as: ``n.m.`` / ``无意义``."""
    return NOT_MEANINGFUL_TEXT[lang]


def missing_text(lang: Language = "en") -> str:
    """What a missing number reads as: ``n/a`` / ``—``."""
    return MISSING[lang]


def shown_number(value: float, unit: str) -> float:
    """``value`` rounded to the decimals ``unit`` shows (−0.0 made 0.0), for its sign and its colour."""
    digits = DIGITS.get(unit)
    return value if digits is None else round(value, digits) + 0.0


def is_missing(value: object) -> bool:
    """None, NaN, NA and NaT are missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_float(value: object) -> float:
    """A cell's number as a float (numpy and Decimal numbers, bools and numeric text too); NaN for anything else."""
    if isinstance(value, float | int):  # most cells: spares the protocol check, slow per cell
        return float(value)
    return float(value) if isinstance(value, SupportsFloat | str) else math.nan


def format_value(value: object, unit: str, lang: Language = "en", currency: str = "", compact: bool = False) -> str:
    """``value`` as the reader sees it in ``unit`` (see :data:`kamreport.report.sections.base.UNITS`).

    ``compact`` shortens amounts (``¥7.2M`` / ``¥720万``).
    """
    if is_missing(value):
        return "" if unit in ("text", "label", "date") else MISSING[lang]
    if isinstance(value, NotMeaningful):
        return NOT_MEANINGFUL_TEXT[lang]
    if unit == "label":
        return value_label(value, lang)
    if unit == "text":
        return str(value)
    if unit == "date":
        if isinstance(value, datetime | date | pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return str(value)
    if unit == "flag":
        return value_label(bool(as_float(value)), lang)
    number = shown_number(as_float(value), unit)
    if unit == "amount":
        if compact:
            return compact_amount(number, currency, lang)
        return money(number, currency)
    if unit == "share":
        return f"{number:.1%}"
    if unit == "pp":
        return f"{number:+.1f}{POINTS[lang]}"
    if unit == "multiple":
        return f"{number:.2f}×"
    if unit == "quantity":
        return f"{round(number) + 0.0:,.0f}"
    if unit in ("count", "days", "index"):
        return f"{number:,.0f}"
    return f"{number:,.2f}"


COMPACT = {
    "en": ((1e9, "B"), (1e6, "M"), (1e3, "k")),
    "zh": ((1e8, "亿"), (1e4, "万")),
}


def compact_amount(value: float, currency: str = "", lang: Language = "en") -> str:
    """A short amount for chart labels and sentences: ``7.2M``, ``850k``; in Chinese ``720万``, ``1.2亿``."""
    if is_missing(value):
        return MISSING[lang]
    sign = "−" if round(value) < 0 else ""
    value = abs(value)
    for limit, suffix in COMPACT[lang]:
        if value >= limit:
            shown = value / limit
            text = f"{shown:.1f}" if shown < 100 else f"{shown:,.0f}"
            return f"{sign}{currency}{text}{suffix}"
    return f"{sign}{currency}{value:,.0f}"
