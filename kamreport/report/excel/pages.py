"""Where printed pages break: a chart or the start of a table is never cut in two.

A sheet prints one page wide (``fit_to_pages(1, 0)``), so its scale is the printable width
over the width of its columns, and the height of a page in sheet pixels follows.  Row
heights are estimated on the tall side (a row that was not given a height counts as a
15-point row), so a manual break always comes at or before the place the application
would break by itself and never leaves an almost empty page.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPER_MM = {1: (279.4, 215.9), 9: (297.0, 210.0)}  # Letter, A4 (portrait width, height)
PIXELS_PER_INCH = 96
DEFAULT_ROW_POINTS = 13.0  # every sheet's default row height (10-point text, Latin or CJK)
FOOTER_ALLOWANCE = 14  # pixels the footer line may take from the body


@dataclass(frozen=True)
class Margins:
    """Page margins in inches."""

    left: float = 0.3
    right: float = 0.3
    top: float = 0.4
    bottom: float = 0.55


def print_width(width: float, font_size: float) -> float:
    """Pixels a column ``width`` characters wide takes on paper, as the wider application draws it.

    XlsxWriter (and Excel with its 11-point Calibri) count 7 pixels a character; LibreOffice
    draws a column of a workbook whose default font is ``font_size`` points about
    ``0.86 × font_size`` pixels a character plus 6.5 (measured on A4 exports at 9, 10 and 11
    points).  A sheet scaled to that width fits one page wide in both.
    """
    return width * 0.86 * font_size + 6.5


def printable(paper: int, margins: Margins) -> tuple[float, float]:
    """Printable width and height of a landscape page, in pixels."""
    short, long_ = sorted(PAPER_MM.get(paper, PAPER_MM[9]))
    width = long_ / 25.4 * PIXELS_PER_INCH - (margins.left + margins.right) * PIXELS_PER_INCH
    height = short / 25.4 * PIXELS_PER_INCH - (margins.top + margins.bottom) * PIXELS_PER_INCH - FOOTER_ALLOWANCE
    return width, height


def page_breaks(
    heights: dict[int, float],
    last_row: int,
    blocks: list[tuple[int, int]],
    page_height: float,
    repeated: float = 0.0,
) -> list[int]:
    """Rows before which to break so that no block is cut across pages.

    Parameters
    ----------
    heights
        Row → height in points for rows with a set height; other rows have the default height.
    last_row
        The last printed row.
    blocks
        (first row, last row) spans to keep on one page, in sheet order.
    page_height
        Height of a page's body in sheet pixels (after scaling to one page wide).
    repeated
        Height in pixels of the rows repeated at the top of every page after the first.

    Returns
    -------
    list[int]
        Zero-based rows that start a new page.
    """
    top = [0.0]
    for row in range(last_row + 2):
        top.append(top[-1] + heights.get(row, DEFAULT_ROW_POINTS) * PIXELS_PER_INCH / 72)
    breaks: list[int] = []
    page_top, room = 0.0, page_height
    for first, last in blocks:
        # pages the application breaks by itself before this block
        while top[first] - page_top > room:
            page_top += room
            room = page_height - repeated
        size = top[last + 1] - top[first]
        if top[last + 1] - page_top > room and top[first] > page_top and size <= page_height - repeated:
            breaks.append(first)
            page_top, room = top[first], page_height - repeated
    return breaks
