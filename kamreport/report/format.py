"""Values as text for the HTML reports and chart labels (the workbook uses Excel number formats).

One function per unit, so a share reads ``35.8%`` and a change ``+0.8 pp`` wherever it appears.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from kamreport.report.labels import Language, value_label

MISSING = "n/a"


def is_missing(value: object) -> bool:
    """None, NaN, NA and NaT are missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def format_value(value: object, unit: str, lang: Language = "en", currency: str = "") -> str:
    """``value`` as the reader sees it in ``unit`` (see :data:`kamreport.report.sections.base.UNITS`)."""
    if is_missing(value):
        return "" if unit in ("text", "label", "date") else MISSING
    if unit == "label":
        return value_label(value, lang)
    if unit == "text":
        return str(value)
    if unit == "date":
        if isinstance(value, datetime | date | pd.Timestamp):
            return value.strftime("%Y-%m-%d")
        return str(value)
    if unit == "flag":
        return value_label(bool(float(value)), lang)  # type: ignore[arg-type]
    number = float(value)  # type: ignore[arg-type]
    if unit == "amount":
        return f"{currency}{number:,.0f}" if number >= 0 else f"−{currency}{-number:,.0f}"
    if unit == "share":
        return f"{number:.1%}"
    if unit == "pp":
        return f"{number:+.1f} pp"
    if unit == "multiple":
        return f"{number:.2f}×"
    if unit == "quantity":
        return f"{number:,.1f}"
    if unit in ("count", "days", "index"):
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def compact_amount(value: float, currency: str = "") -> str:
    """A short amount for chart labels: 7.2M, 850k."""
    if is_missing(value):
        return MISSING
    sign = "−" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}{currency}{value / limit:.1f}{suffix}"
    return f"{sign}{currency}{value:.0f}"
