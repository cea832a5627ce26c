"""One section on one worksheet: title block, tables one below the other, charts, widths, print setup.

Layout of every sheet::

    row 0  section title
    row 1  scope · period · company
    row 2  the section's introductory sentence (wrapped across the sheet)
    row 4… each table: its title (unless it repeats the section's), header, rows, note,
           then its chart when it has one

Sentences that wrap across the sheet are written last, once the column widths (fitted to
every table of the sheet) are known, so their row heights can be set: Excel does not grow
merged rows by itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kamreport.params import RunParams
from kamreport.report.excel.charts import ChartContext, chart_for
from kamreport.report.excel.conditional import apply_conditional_formats
from kamreport.report.excel.measure import header_lines, header_width, wrapped_lines
from kamreport.report.excel.pages import Margins, page_breaks, printable
from kamreport.report.excel.styles import Styles
from kamreport.report.excel.writer import Placed, TableWriter
from kamreport.report.labels import Language, t
from kamreport.report.sections import Section, Table
from kamreport.report.theme import Layout

FIRST_TABLE_ROW = 4
SENTENCE_COLUMNS = 10  # width of a sheet whose section is absent
PADDING = 1.5  # characters around a cell's content
COLUMN_PIXELS = 7  # pixels per width character, plus 5 per column (Excel's rule for the default font)
CHART_ROW_POINTS = 15.0  # rows under a chart get this height so the chart is as tall everywhere
KEEP_ROWS = 3  # a long table's title and header stay on a page with at least this many rows
SHORT_TABLE = 15  # a table of at most this many rows is kept on one page
SUMMARY = "summary"
MARGINS = Margins()


@dataclass
class Scope:
    """What the sheets of one workbook are about: shown under every title and in the footer."""

    line: str  # "Region: East · Quarter 2026Q3 · Company"
    params: RunParams
    plans: dict[str, str]


@dataclass
class _Sentence:
    row: int
    text: str
    format: Format


def table_name(section: Section, table: Table) -> str:
    """The Excel table name of a section table (unique in a workbook, only letters, digits and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{section.id}_{table.id}")


def is_list(table: Table) -> bool:
    """A table of one text column (what changed) reads best as a list of sentences."""
    return len(table.shown) == 1 and table.units.get(table.shown[0], "text") == "text"


def fit_widths(placed: list[Placed], n_columns: int, layout: Layout) -> list[float]:
    """Column widths that fit every table of a sheet (values, and headers on at most a few lines)."""
    widths = [layout.min_column_width] * n_columns
    for table in placed:
        for col, (label, content) in enumerate(zip(table.labels, table.content_widths, strict=True)):
            need = max(content + PADDING, header_width(label, content, layout.header_lines))
            widths[col] = max(widths[col], min(need, layout.max_column_width))
    return [round(w, 1) for w in widths]


def column_pixels(width: float) -> int:
    """Screen pixels of a column ``width`` characters wide."""
    return int(width * COLUMN_PIXELS + 5)


def sheets(section: Section, lang: Language) -> list[tuple[str, Section]]:
    """The sheets of a chapter, (sheet name, what it holds): its own, then one per table that asks for one.

    A table with a sheet of its own (``TableSpec.sheet``) is left out of the chapter's sheet
    and gets a sheet named by its label, titled by the table; an absent chapter is one sheet.
    """
    own = [table for table in section.tables if table.sheet]
    main = replace(section, tables=[table for table in section.tables if not table.sheet])
    result = [(t(f"sheet.{section.id}", lang), main)] if main.tables or main.missing or not own else []
    for table in own:
        result.append(
            (t(table.sheet or f"sheet.{section.id}", lang), replace(section, title=table.title, tables=[table]))
        )
    return result


class SheetWriter:
    """Writes one section (or the part of a section that has a sheet of its own) onto a new worksheet."""

    def __init__(self, workbook: Workbook, styles: Styles, scope: Scope, section: Section, name: str) -> None:
        self.workbook = workbook
        self.styles = styles
        self.scope = scope
        self.section = section
        self.lang = styles.lang
        self.layout = styles.theme.layout
        self.ws = workbook.add_worksheet(name)
        shown = [len(table.shown) for table in section.tables if not is_list(table)]
        self.n_columns = max(shown) if shown and not section.missing else SENTENCE_COLUMNS
        self.sentences: list[_Sentence] = []
        self.placed: list[Placed] = []
        self.heights: dict[int, float] = {}  # row → points, for rows given a height
        self.blocks: list[tuple[int, int]] = []  # spans kept on one printed page
        self.has_chart = False
        self.last_row = FIRST_TABLE_ROW

    def write(self) -> Worksheet:
        """Write the section and set the sheet up for screen and print.

        Returns
        -------
        Worksheet
            The new sheet.
        """
        if self.section.missing:
            self.sentences.append(_Sentence(FIRST_TABLE_ROW, self.section.missing, self.styles.note))
        else:
            self._tables()
        widths = fit_widths(self.placed, self.n_columns, self.layout)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)
        for placed in self.placed:
            lines = max(header_lines(label, widths[col]) for col, label in enumerate(placed.labels))
            self._height(placed.header_row, self._lines(min(lines, self.layout.header_lines)))
        self._title_block(widths)
        for sentence in self.sentences:
            self._sentence(sentence.row, sentence.text, sentence.format, widths)
        self._view_and_print(widths)
        return self.ws

    # ------------------------------------------------------------------ content
    def _tables(self) -> None:
        writer = TableWriter(self.ws, self.styles, self.layout.max_column_width)
        ctx = ChartContext(self.workbook, self.ws, self.styles, spare_col=max(self.n_columns, 16) + 1)
        row = FIRST_TABLE_ROW
        for table in self.section.tables:
            start = row
            if table.title != self.section.title:
                self.ws.write_string(row, 0, table.title, self.styles.table_title)
                self._height(row, self._lines() + 4)
                row += 1
            if is_list(table):
                row = self._list(table, row)
                self.blocks.append((start, row - 1 if row - start <= SHORT_TABLE else start + KEEP_ROWS))
            else:
                row = self._table(writer, ctx, table, row, start)
            self.last_row = row - 1
            row += 1

    def _table(self, writer: TableWriter, ctx: ChartContext, table: Table, row: int, start: int) -> int:
        placed = writer.write(table, row, table_name(self.section, table))
        self.placed.append(placed)
        keep = placed.n_rows if placed.n_rows <= SHORT_TABLE else KEEP_ROWS
        self.blocks.append((start, placed.header_row + keep))
        row = placed.last_row + 1
        if placed.n_rows == 0:
            self.sentences.append(_Sentence(row, t("none", self.lang), self.styles.note))
            row += 1
        if table.note:
            self.sentences.append(_Sentence(row, table.note, self.styles.note))
            row += 1
        chart = chart_for(ctx, table, placed)
        apply_conditional_formats(self.ws, table, placed, self.styles, self.scope.params, bars=chart is None)
        if table.link_plans:
            writer.link(table, placed, "account_id", "account_name", self.scope.plans)
        if chart is None:
            return row
        n_rows = math.ceil(self.layout.chart_height / (CHART_ROW_POINTS * 4 / 3)) + 1
        first = row + 1
        for chart_row in range(first, first + n_rows):
            self._height(chart_row, CHART_ROW_POINTS)
        self.ws.insert_chart(first, 0, chart, {"x_offset": 4, "y_offset": 2})
        self.blocks.append((row, first + n_rows - 1))
        self.has_chart = True
        return first + n_rows

    def _list(self, table: Table, row: int) -> int:
        """One sentence per row, each across the sheet (written with the other sentences)."""
        column = table.shown[0]
        for text in table.frame[column].dropna().astype(str):
            self.sentences.append(_Sentence(row, text, self.styles.item))
            row += 1
        return row

    # ------------------------------------------------------------------ text across the sheet
    def _lines(self, lines: int = 1) -> float:
        """Row height in points for ``lines`` lines of body text."""
        return round(lines * self.styles.font.size * 1.35 + 3, 1)

    def _height(self, row: int, points: float) -> None:
        self.heights[row] = points
        self.ws.set_row(row, points)

    def _title_block(self, widths: list[float]) -> None:
        s = self.styles
        self._merged(0, self.section.title, s.title)
        self._height(0, round(s.theme.sizes["title"] * 1.6, 1))
        self._merged(1, self.scope.line, s.subtitle)
        self._sentence(2, self.section.intro, s.intro, widths)

    def _merged(self, row: int, text: str, fmt: Format) -> None:
        """``text`` across the sheet's columns, always as a string whatever it looks like."""
        if self.n_columns > 1:
            self.ws.merge_range(row, 0, row, self.n_columns - 1, "", fmt)
        self.ws.write_string(row, 0, text, fmt)

    def _sentence(self, row: int, text: str, fmt: Format, widths: list[float]) -> None:
        """A wrapped sentence across the sheet, its row as tall as its lines."""
        self._merged(row, text, fmt)
        self._height(row, self._lines(wrapped_lines(text, sum(widths) * 0.95 - 2)))

    # ------------------------------------------------------------------ view and print
    def _view_and_print(self, widths: list[float]) -> None:
        ws = self.ws
        first = self.placed[0] if self.placed else None
        is_list_sheet = first is not None and len(self.section.tables) == 1 and first.n_rows > 0
        if is_list_sheet and first is not None:
            frozen_cols = 2 if first.columns[:2] == ["account_id", "account_name"] else 0
            ws.freeze_panes(first.first_row, frozen_cols)
            repeated = (first.header_row, first.header_row)
        else:
            repeated = (0, 1)
        ws.repeat_rows(*repeated)
        ws.hide_gridlines(2 if self.section.id == SUMMARY else 1)
        ws.set_landscape()
        ws.set_paper(self.layout.paper)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=MARGINS.left, right=MARGINS.right, top=MARGINS.top, bottom=MARGINS.bottom)
        ws.set_footer(f"&L&8{_footer_text(self.scope.line)}&R&8&P / &N")
        n_print_columns = self._print_columns(widths)
        ws.print_area(0, 0, self.last_row, n_print_columns - 1)
        self._page_breaks(widths, n_print_columns, repeated)
        if self.section.id == SUMMARY:
            ws.activate()

    def _print_columns(self, widths: list[float]) -> int:
        """Columns to print: the tables', and as many more as a chart spans."""
        if not self.has_chart:
            return self.n_columns
        pixels, col = 0, 0
        while pixels < self.layout.chart_width + 8:
            pixels += column_pixels(widths[col]) if col < len(widths) else column_pixels(8.43)
            col += 1
        return max(self.n_columns, col)

    def _page_breaks(self, widths: list[float], n_columns: int, repeated: tuple[int, int]) -> None:
        page_width, page_height = printable(self.layout.paper, MARGINS)
        sheet_width = sum(
            column_pixels(widths[c]) if c < len(widths) else column_pixels(8.43) for c in range(n_columns)
        )
        scale = min(1.0, page_width / sheet_width)
        repeat = sum(self.heights.get(r, 15.0) for r in range(repeated[0], repeated[1] + 1)) * 4 / 3
        breaks = page_breaks(self.heights, self.last_row, self.blocks, page_height / scale, repeat)
        if breaks:
            self.ws.set_h_pagebreaks(breaks)


def _footer_text(text: str) -> str:
    """Text safe in a header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")[:200]
