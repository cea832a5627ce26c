"""How wide text and numbers are on screen, in Excel's column-width characters.

Excel and LibreOffice do not fit widths on open, so the writer estimates them: a CJK
character counts as two (``autofit()`` would count it as one and cut Chinese names), and a
number's width is that of its largest value formatted as Excel will show it.  Everything
is column-wise so a 5,000-row table costs a few vectorised string operations.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.params import Language
from kamreport.report.format import format_value

FILTER_BUTTON = 2.0  # the autofilter arrow of a table header, in characters (it is not printed)
BOLD = 1.1  # bold header text is about a tenth wider
WIDE_FROM = "\u2e80"  # CJK radicals onwards: wide characters


def text_width(text: str) -> float:
    """Display width of one string: a CJK character (3 bytes in UTF-8) counts two, ASCII one.

    Counting ``(bytes - characters) / 2`` extra gives exactly that and errs wide for the
    rest (accented letters 1.5, symbols 2), which is the safe side for a column width.
    """
    return len(text) + (len(text.encode("utf-8")) - len(text)) / 2


def texts_width(values: list[str | None]) -> float:
    """The widest display width of a column of strings (None ignored), computed in Arrow."""
    array = pa.array(values, type=pa.string())
    if array.null_count == len(array):
        return 0.0
    chars = pc.utf8_length(array)
    width = pc.add(chars, pc.divide(pc.subtract(pc.binary_length(array), chars), 2.0))
    return float(pc.max(width).as_py())


def _shown(value: float, unit: str, currency: str, lang: Language = "en") -> str:
    """``value`` roughly as Excel's number format of ``unit`` shows it (the HTML's text serves)."""
    if unit == "date":
        return "0000-00-00"
    return format_value(
        value, unit if unit in ("share", "pp", "multiple", "quantity", "amount") else "count", lang, currency
    )


def numbers_width(values: np.ndarray, unit: str, currency: str = "", lang: Language = "en") -> float:
    """The widest display width of a column of numbers (NaN ignored)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0
    return max(text_width(_shown(float(v), unit, currency, lang)) for v in (finite.max(), finite.min()))


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped at ``width`` characters (words kept whole when they fit)."""
    if width <= 0:
        return 1
    lines, used = 1, 0.0
    for word in text.split(" "):
        size = text_width(word)
        if size > width:  # CJK runs and long words break anywhere
            pieces = math.ceil(size / width)
            lines += pieces - (1 if used == 0 else 0)
            used = size - (pieces - 1) * width
            continue
        needed = size if used == 0 else used + 1 + size
        if needed > width:
            lines += 1
            used = size
        else:
            used = needed
    return lines


def header_width(label: str, content: float, lines: int) -> float:
    """Width a column needs for its header: one line when that costs little, else up to ``lines`` lines."""
    full = text_width(label) * BOLD + FILTER_BUTTON
    chinese = any(ch >= WIDE_FROM for ch in label)
    if full <= max(content, 8.0 if chinese else 14.0):
        return full
    longest_word = max((text_width(w) for w in label.split(" ")), default=0.0) * BOLD + FILTER_BUTTON
    if chinese:  # Chinese wraps between any two characters: two lines rather than a wide column
        longest_word = 2 * BOLD + FILTER_BUTTON
        lines = max(2, math.ceil((full - FILTER_BUTTON) / max(content, 1.0))) if full > content else 1
        lines = min(lines, 3)
    return max(longest_word, (full - FILTER_BUTTON) / lines + FILTER_BUTTON + 1.0)


def header_lines(label: str, width: float) -> int:
    """Lines a header takes in a column ``width`` wide.

    Text may run under the filter button and letters are narrower than the digit width
    Excel measures columns in, so this is less cautious than :func:`header_width`.
    """
    return wrapped_lines(label, (width - 1.0) * 1.15)
