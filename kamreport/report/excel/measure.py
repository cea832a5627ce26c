"""How wide text and numbers are on screen, in Excel's column-width characters.

Excel and LibreOffice do not fit widths on open, so the writer estimates them: a CJK
character counts as two (``autofit()`` would count it as one and cut Chinese names), and a
number's width is that of its largest value formatted as Excel will show it.  Everything
is column-wise so a 5,000-row table costs a few vectorised string operations.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.params import Language
from kamreport.report.format import format_value

FILTER_BUTTON = 2.0  # the autofilter arrow of a table header, in characters (it is not printed)
BOLD = 1.1  # bold header text is about a tenth wider
WIDE_FROM = "\u2e80"  # CJK radicals onwards: wide characters
CELL_PADDING = 1.0  # characters a cell's padding takes from its text
CJK_GLYPH = (1.3, 2.0)  # a CJK character's width in column units: LibreOffice's (fallback fonts) to Excel's
NARROW = frozenset("fijlrtI.,:;'!|()[]-/")  # letters about 0.6 of a digit wide in Calibri and Carlito
NARROW_SAVING = 0.4


def text_width(text: str) -> float:
    """Display width of one string: a CJK character (3 bytes in UTF-8) counts two, ASCII one.

    Counting ``(bytes - characters) / 2`` extra gives exactly that and errs wide for the
    rest (accented letters 1.5, symbols 2), which is the safe side for a column width.
    """
    return len(text) + (len(text.encode("utf-8")) - len(text)) / 2


SHORT_COLUMN = 64  # strings measured one by one; a longer column in Arrow


def texts_width(values: list[str | None]) -> float:
    """The widest display width of a column of strings (None ignored); a long column is measured in Arrow."""
    if len(values) <= SHORT_COLUMN:  # Arrow's set-up costs more than a few strings
        return max((text_width(value) for value in values if value is not None), default=0.0)
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
    return max(number_width(float(v), unit, currency, lang) for v in (finite.max(), finite.min()))


def number_width(value: float, unit: str, currency: str = "", lang: Language = "en") -> float:
    """The display width of one finite number as Excel's format of ``unit`` shows it."""
    return text_width(_shown(value, unit, currency, lang))


def letters_width(text: str) -> float:
    """Display width of ``text`` with narrow letters (``i``, ``l``, ``t``, ``r``, punctuation …) counted as 0.6.

    Closer than :func:`text_width` for the few words of a column header, whose line breaks
    decide the header row's height: "Contribution" fits where "Revenue per" does not.
    """
    return text_width(text) - NARROW_SAVING * sum(1 for ch in text if ch in NARROW)


def wrapped_lines(text: str, width: float, measure: Callable[[str], float] = text_width) -> int:
    """Lines ``text`` takes when wrapped at ``width`` characters (words kept whole when they fit).

    ``measure`` gives a word's width (default :func:`text_width`).
    """
    if width <= 0:
        return 1
    lines, used = 1, 0.0
    for word in text.split(" "):
        size = measure(word)
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
    """Lines a header takes in a column ``width`` wide: the header row is made this tall.

    Printed text may run under the filter button (it is not printed); the cell's padding
    takes about one character.  Letters are measured with :func:`letters_width` (bold Calibri
    and Carlito break "Revenue per 100 spend" into three lines at 10.7, "Contribution
    margin" into two at 12.3), a CJK character as two (Excel's widest case).
    """
    return wrapped_lines(label, width - CELL_PADDING, letters_width)


def is_cjk(label: str) -> bool:
    """Whether every character of ``label`` is a wide (CJK) one: it breaks between any two of them."""
    return bool(label) and all(ch >= WIDE_FROM for ch in label)


def _orphan_free(n: int, usable: float) -> bool:
    """Whether ``n`` CJK characters break with no one-character line at every glyph width renderers use."""
    fewest, most = math.floor(usable / CJK_GLYPH[1]), math.floor(usable / CJK_GLYPH[0])
    if fewest >= n:
        return True
    return fewest >= 2 and all(n % per_line != 1 for per_line in range(fewest, min(most, n - 1) + 1))


def cjk_header_fit(label: str, width: float) -> float:
    """The narrowest width from ``width`` up at which a CJK header leaves no character alone on a line.

    Excel draws a CJK character about two column units wide, LibreOffice (with its fallback
    fonts) about one and a third, so a width that breaks "目标达成率" as 3 + 2 in one breaks it
    4 + 1 in the other.  The width returned gives balanced lines (or one line) in both; a
    header not wholly CJK keeps ``width``.
    """
    if not is_cjk(label):
        return width
    n, step = len(label), 0.25
    one_line = n * CJK_GLYPH[1] + CELL_PADDING
    candidate = width
    while candidate < one_line and not _orphan_free(n, candidate - CELL_PADDING):
        candidate += step
    return round(min(candidate, max(one_line, width)), 2)
