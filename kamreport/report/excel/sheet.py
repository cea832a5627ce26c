"""One section on one worksheet: title block, tables in one or two columns, charts, widths, print setup.

Layout of every sheet::

    row 0  section title
    row 1  scope · period · company
    row 2  the section's introductory sentence (wrapped across the sheet)
    row 4… each table: its title (unless it repeats the section's), header, rows, note,
           then its chart when it has one — in the left column, or in the right column
           beside it (``TableSpec.column``: the one-page Summary)
    below  tables that only feed a chart (``printed=False``), outside the printed area

Sentences that wrap across a column are written last, once the column widths (fitted to
every table of the sheet) are known, so their row heights can be set: Excel does not grow
merged rows by itself.  Analysts' columns (``technical``) come last and outside the printed
area, so a long list prints large.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kamreport.params import Language, RunParams
from kamreport.report.excel.charts import ChartContext, chart_for
from kamreport.report.excel.conditional import apply_conditional_formats
from kamreport.report.excel.measure import cjk_header_fit, header_lines, header_width, wrapped_lines
from kamreport.report.excel.pages import DEFAULT_ROW_POINTS, Margins, page_breaks, print_width, printable
from kamreport.report.excel.styles import Styles
from kamreport.report.excel.writer import Placed, TableWriter
from kamreport.report.labels import t
from kamreport.report.sections import Section, Table
from kamreport.report.theme import Layout

FIRST_TABLE_ROW = 4
SENTENCE_COLUMNS = 10  # width of a sheet whose section is absent
PADDING = 1.5  # characters around a cell's content
COLUMN_PIXELS = 7  # pixels per width character, plus 5 per column (Excel's rule for the default font)
DEFAULT_WIDTH = 8.43  # an unset column
CHART_ROW_POINTS = 15.0  # rows under a chart get this height so the chart is as tall everywhere
KEEP_ROWS = 3  # a long table's title and header stay on a page with at least this many rows
SHORT_TABLE = 15  # a table of at most this many rows is kept on one page
OWN_SHEET_ROWS = 25  # a table longer than this prints its header on every page: last on its sheet, or its own
GAP_WIDTH = 2.0  # the empty column between the left and the right column of a sheet
CHART_BESIDE = 520  # pixels: the width of a chart beside a table
WRAP_SLACK = 1.1  # text runs about a tenth narrower than the width estimate: a row grows only when it must
SUMMARY = "summary"
MARGINS = Margins()


@dataclass
class Scope:
    """What the sheets of one workbook are about: shown under every title and in the footer."""

    line: str  # "Region: East · Quarter 2026Q3 · Company"
    params: RunParams
    plans: dict[str, str]
    plans_note: str | None = None  # under a table whose names link to plans


@dataclass
class _Sentence:
    row: int
    text: str
    format: Format
    first_col: int = 0
    last_col: int | None = None  # None: the sheet's last column


@dataclass
class _Chart:
    chart: Chart
    row: int
    column: int  # layout column (0 left, 1 right)
    beside: int | None = None  # sheet column of a chart drawn beside its table


def table_name(section: Section, table: Table) -> str:
    """The Excel table name of a section table (unique in a workbook, only letters, digits and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{section.id}_{table.id}")


def is_list(table: Table) -> bool:
    """A table of one text column (what changed, the actions) reads best as a list of sentences."""
    return len(table.shown) == 1 and table.units.get(table.shown[0], "text") == "text"


def fit_widths(placed: list[Placed], n_columns: int, layout: Layout, cap: float | None = None) -> list[float]:
    """Column widths that fit every table of a sheet (values, and headers on at most a few lines).

    ``cap`` limits text columns (they wrap past it); None: the theme's ``max_column_width``.
    """
    widths = [layout.min_column_width] * n_columns
    for table in placed:
        for i, (label, content) in enumerate(zip(table.labels, table.content_widths, strict=True)):
            col = table.first_col + i
            need = max(content + PADDING, header_width(label, min(content, cap or content), layout.header_lines))
            widths[col] = max(widths[col], min(need, cap or layout.max_column_width, layout.max_column_width))
    for table in placed:  # a CJK header breaks between any two characters: never one alone on a line
        for i, label in enumerate(table.labels):
            col = table.first_col + i
            widths[col] = min(max(widths[col], cjk_header_fit(label, widths[col])), layout.max_column_width)
    return [round(w, 1) for w in widths]


def column_pixels(width: float) -> int:
    """Pixels of a column ``width`` characters wide as XlsxWriter counts them when it places a chart."""
    return int(width * COLUMN_PIXELS + 5)


def sheets(section: Section, lang: Language) -> list[tuple[str, Section]]:
    """The sheets of a chapter, (sheet name, what it holds): its own, then one per long table that asks for one.

    A table that asks for a sheet of its own (``TableSpec.sheet``) and is longer than
    :data:`OWN_SHEET_ROWS` rows is left out of the chapter's sheet and gets a sheet named by
    its label, titled by the table (a long table prints its header on every page, and a sheet
    repeats one row range); an absent chapter is one sheet.
    """
    own = [table for table in section.tables if table.sheet and len(table.frame) > OWN_SHEET_ROWS]
    main = replace(section, tables=[table for table in section.tables if table not in own])
    result = [(t(f"sheet.{section.id}", lang), main)] if main.tables or main.missing or not own else []
    for table in own:
        result.append(
            (
                t(table.sheet or f"sheet.{section.id}", lang),
                replace(section, title=table.title, tables=[table], one_page=False),
            )
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
        self.ws.set_default_row(DEFAULT_ROW_POINTS)
        # the width of each layout column in sheet columns, and where each starts
        spans = [self._span(section, 0), self._span(section, 1)]
        self.offsets = [0, spans[0] + 1]
        self.spans = spans
        self.n_columns = spans[0] + (1 + spans[1] if spans[1] else 0)
        if section.missing or not section.tables:
            self.n_columns, self.spans = SENTENCE_COLUMNS, [SENTENCE_COLUMNS, 0]
        self.sentences: list[_Sentence] = []
        self.placed: list[Placed] = []  # every table written
        self.printed: list[Placed] = []  # … of which the printed ones
        self.charts: list[_Chart] = []
        self.heights: dict[int, float] = {}  # row → points, for rows given a height
        self.blocks: list[tuple[int, int]] = []  # spans kept on one printed page
        self.last_row = FIRST_TABLE_ROW  # the last printed row
        self.n_print = 0  # columns the printed tables, lists and right-hand charts take

    @staticmethod
    def _span(section: Section, column: int) -> int:
        """Sheet columns the tables of one layout column take (lists take what the others leave)."""
        shown = [len(table.shown) for table in section.tables if table.column == column and not is_list(table)]
        if shown:
            return max(shown)
        has_any = any(table.column == column for table in section.tables)
        return (1 if column else SENTENCE_COLUMNS) if has_any else 0

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
            for i, text in enumerate(self.section.absent):  # tables left out for an input the run lacks
                self.sentences.append(_Sentence(self.last_row + 2 + i, text, self.styles.note))
            self.last_row += len(self.section.absent) + (1 if self.section.absent else 0)
        widths = self._widths()
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)
        for placed in self.placed:
            # every line of the tallest header shows (layout.header_lines bounds the widths, not this)
            lines = max(header_lines(label, widths[placed.first_col + i]) for i, label in enumerate(placed.labels))
            self._height(placed.header_row, self._lines(lines))
            self._wrapped_rows(placed, widths)
        self._title_block(widths)
        for sentence in self.sentences:
            last = self.n_columns - 1 if sentence.last_col is None else sentence.last_col
            self._sentence(sentence.row, sentence.text, sentence.format, widths, sentence.first_col, last)
        for item in self.charts:
            self._size_chart(item, widths)
        self._view_and_print(widths)
        return self.ws

    def _wrapped_rows(self, placed: Placed, widths: list[float]) -> None:
        """Rows whose text wraps get the height of their lines (Excel and LibreOffice keep a row's default)."""
        for col, values in placed.wrapped.items():
            for i, value in enumerate(values):
                if value is not None:
                    lines = wrapped_lines(value, widths[col] * WRAP_SLACK)
                    if lines > 1:
                        self._height(placed.first_row + i, self._lines(lines))

    def _widths(self) -> list[float]:
        """Column widths: text in full when the sheet prints at ``layout.print_scale`` % or more, else wrapped.

        Text columns are narrowed (their text wraps) only as far as needed to print at that
        scale, never below ``list_column_width`` characters.
        """
        floor = self.layout.list_column_width
        caps = [None, *range(int(self.layout.max_column_width) - 4, int(floor), -4)]
        for cap in caps:
            widths = self._fitted(cap)
            if self.print_scale(widths, self._print_columns(widths)) >= self.layout.print_scale:
                return widths
        return self._fitted(floor)

    def _fitted(self, cap: float | None) -> list[float]:
        widths = fit_widths(self.placed, max(self.n_columns, 1), self.layout, cap)
        if self.spans[1]:
            widths[self.offsets[1] - 1] = GAP_WIDTH
            first, last = self._block(1)
            short = CHART_BESIDE - sum(column_pixels(widths[c]) for c in range(first, last + 1))
            if short > 0 and any(item.column == 1 for item in self.charts):  # room for the chart
                widths[last] = round(widths[last] + short / COLUMN_PIXELS, 1)
        return widths

    # ------------------------------------------------------------------ content
    def _tables(self) -> None:
        # text past this width is written wrapping; the column widths decide whether it does
        writer = TableWriter(self.ws, self.styles, self.layout.list_column_width)
        ctx = ChartContext(self.workbook, self.ws, self.styles, spare_col=max(self.n_columns, 16) + 1)
        cursor = [FIRST_TABLE_ROW, FIRST_TABLE_ROW]
        feeding: list[tuple[Table, int, int]] = []  # tables that only feed a chart: (table, column, chart row)
        for table in self.section.tables:
            column = table.column
            row = cursor[column]
            if not table.printed:
                feeding.append((table, column, row))
                cursor[column] = row + self._chart_rows(row) + 1
                continue
            start = row
            if table.title != self.section.title:
                self._merged(row, table.title, self.styles.table_title, *self._block(column))
                self._height(row, self._lines() + 4)
                row += 1
            if is_list(table):
                row = self._list(table, row, column)
                self.blocks.append((start, row - 1 if row - start <= SHORT_TABLE else start + KEEP_ROWS))
            else:
                row = self._table(writer, ctx, table, row, start, column)
            self.last_row = max(self.last_row, row - 1)
            cursor[column] = row + 1
        row = max(cursor) + 2
        for table, column, chart_row in feeding:  # below the printed area, each chart where its table would stand
            self._merged(row, table.title, self.styles.table_title, 0, max(len(table.shown), 1) - 1)
            placed = writer.write(table, row + 1, table_name(self.section, table))
            self.placed.append(placed)
            chart = chart_for(ctx, table, placed)
            if chart is not None:
                self._insert_chart(chart, chart_row, column)
            row = placed.last_row + 3

    def _block(self, column: int) -> tuple[int, int]:
        """First and last sheet column of a layout column."""
        first = self.offsets[column]
        return first, first + max(self.spans[column], 1) - 1

    def _table(self, writer: TableWriter, ctx: ChartContext, table: Table, row: int, start: int, column: int) -> int:
        first_col, last_col = self._block(column)
        placed = writer.write(table, row, table_name(self.section, table), first_col)
        self.placed.append(placed)
        self.printed.append(placed)
        self.n_print = max(self.n_print, first_col + len(table.printed_columns))
        short = placed.n_rows <= SHORT_TABLE
        row = placed.last_row + 1
        if placed.n_rows == 0:
            self.sentences.append(
                _Sentence(row, table.empty or t("none", self.lang), self.styles.note, first_col, last_col)
            )
            row += 1
        notes = [table.note] if table.note else []
        if table.link_plans and self.scope.plans_note and placed.n_rows:
            notes.append(self.scope.plans_note)
        for note in notes:
            self.sentences.append(_Sentence(row, note, self.styles.note, first_col, last_col))
            row += 1
        # a short table stays on one page with its notes; a long one keeps its title, header and first rows
        self.blocks.append((start, row - 1 if short else placed.header_row + KEEP_ROWS))
        chart = chart_for(ctx, table, placed)
        apply_conditional_formats(self.ws, table, placed, self.styles, self.scope.params, bars=chart is None)
        if table.link_plans:
            writer.link(table, placed, "account_id", "account_name", self.scope.plans)
        if chart is None:
            return row
        if table.chart_beside:
            return self._chart_beside(chart, placed, row)
        return self._insert_chart(chart, row + 1, column) + 1

    def _chart_beside(self, chart: Chart, placed: Placed, row: int) -> int:
        """Draw ``chart`` right of its table from the header row; return the first row below both."""
        col = placed.last_col + 2
        chart.set_size({"width": CHART_BESIDE, "height": self.layout.chart_height})
        self.ws.insert_chart(placed.header_row, col, chart, {"x_offset": 4, "y_offset": 2})
        self.charts.append(_Chart(chart, placed.header_row, 0, beside=col))
        bottom, pixels = placed.header_row, 0.0
        while pixels < self.layout.chart_height + 8:
            pixels += self.heights.get(bottom, CHART_ROW_POINTS) * 4 / 3
            bottom += 1
        self.blocks.append((placed.header_row - 1, bottom))
        self.last_row = max(self.last_row, bottom)
        return max(row, bottom + 1)

    def _chart_rows(self, first: int) -> int:
        """Rows a chart takes from ``first``, each given the chart row height."""
        n_rows = math.ceil(self.layout.chart_height / (CHART_ROW_POINTS * 4 / 3)) + 1
        for chart_row in range(first, first + n_rows):
            self._height(chart_row, CHART_ROW_POINTS)
        return n_rows

    def _insert_chart(self, chart: Chart, first: int, column: int) -> int:
        """Place ``chart`` from row ``first`` in a layout column; return the row after it."""
        n_rows = self._chart_rows(first)
        self.ws.insert_chart(first, self.offsets[column], chart, {"x_offset": 4, "y_offset": 2})
        self.charts.append(_Chart(chart, first, column))
        if column:
            self.n_print = max(self.n_print, self._block(column)[1] + 1)
        self.blocks.append((first - 1, first + n_rows - 1))
        self.last_row = max(self.last_row, first + n_rows - 1)
        return first + n_rows

    def _size_chart(self, item: _Chart, widths: list[float]) -> None:
        """A right-column chart is as wide as its column and as tall as the left one; a left one the theme's size."""
        if item.beside is not None or (item.column == 0 and not self.spans[1]):
            return
        first, last = self._block(item.column)
        width = sum(column_pixels(widths[c]) for c in range(first, last + 1)) - 8
        height = self.layout.chart_height
        if item.column == 0:
            width = min(width, self.layout.chart_width)
        else:
            beside = sum(self.heights.get(r, DEFAULT_ROW_POINTS) for r in range(item.row, self.last_row + 1)) * 4 / 3
            height = int(max(height, min(beside - 10, 2 * height)))
        item.chart.set_size({"width": width, "height": height})

    def _list(self, table: Table, row: int, column: int) -> int:
        """One sentence per row, each across its layout column (written with the other sentences)."""
        first, last = self._block(column)
        self.n_print = max(self.n_print, last + 1)
        texts = table.frame[table.shown[0]].dropna().astype(str).tolist()
        if not texts:
            texts_format = [(table.empty or t("none", self.lang), self.styles.note)]
        else:
            texts_format = [(text, self.styles.item) for text in texts]
        for text, fmt in texts_format:
            self.sentences.append(_Sentence(row, text, fmt, first, last))
            row += 1
        return row

    # ------------------------------------------------------------------ text across the sheet
    def _lines(self, lines: int = 1) -> float:
        """Row height in points for ``lines`` lines of body text."""
        return round(lines * self.styles.font.size * 1.35 + 3, 1)

    def _height(self, row: int, points: float) -> None:
        points = max(points, self.heights.get(row, 0.0))  # two columns may share a row: the taller wins
        self.heights[row] = points
        self.ws.set_row(row, points)

    def _title_block(self, widths: list[float]) -> None:
        s = self.styles
        last = self.n_columns - 1
        self._merged(0, self.section.title, s.title, 0, last)
        self._height(0, round(s.theme.sizes["title"] * 1.6, 1))
        self._merged(1, self.scope.line, s.subtitle, 0, last)
        self._sentence(2, self.section.intro, s.intro, widths, 0, last)

    def _merged(self, row: int, text: str, fmt: Format, first: int, last: int) -> None:
        """``text`` across columns ``first``–``last``, always as a string whatever it looks like."""
        if last > first:
            self.ws.merge_range(row, first, row, last, "", fmt)
        self.ws.write_string(row, first, text, fmt)

    def _sentence(self, row: int, text: str, fmt: Format, widths: list[float], first: int, last: int) -> None:
        """A wrapped sentence across columns ``first``–``last``, its row as tall as its lines."""
        self._merged(row, text, fmt, first, last)
        self._height(row, self._lines(wrapped_lines(text, sum(widths[first : last + 1]) * 0.95 - 2)))

    # ------------------------------------------------------------------ view and print
    def _view_and_print(self, widths: list[float]) -> None:
        ws = self.ws
        first = self.printed[0] if self.printed else None
        # the table reaching lowest closes the sheet (a short table may stand beside it)
        last = max(self.printed, key=lambda t: t.last_row) if self.printed else None
        is_list_sheet = first is not None and len(self.section.tables) == 1 and first.n_rows > 0
        if is_list_sheet and first is not None:
            frozen_cols = 1 if first.columns[:1] in (["account_name"], ["account_id"]) else 0
            if first.columns[:2] == ["account_id", "account_name"]:
                frozen_cols = 2
            ws.freeze_panes(first.first_row, frozen_cols)
            repeated = (first.header_row, first.header_row)
        else:
            if self.placed:
                ws.freeze_panes(2, 0)  # the title and scope stay in view
            repeated = (0, 1)
            if last is not None and last.n_rows > SHORT_TABLE and not self.section.one_page:
                # the long table closes the sheet: the pages it runs onto repeat its header
                # (rows repeat only from the page they stand on, so page 1 prints as laid out)
                repeated = (last.header_row, last.header_row)
        ws.repeat_rows(*repeated)
        ws.hide_gridlines(2 if self.section.one_page else 1)
        ws.set_landscape()
        ws.set_paper(self.layout.paper)
        ws.set_margins(left=MARGINS.left, right=MARGINS.right, top=MARGINS.top, bottom=MARGINS.bottom)
        ws.set_footer(f"&L&8{_footer_text(self.scope.line)}&R&8&P / &N")
        n_print_columns = self._print_columns(widths)
        ws.print_area(0, 0, self.last_row, n_print_columns - 1)
        if self.section.one_page:
            ws.fit_to_pages(1, 1)
        else:
            scale = self.print_scale(widths, n_print_columns)
            ws.set_print_scale(scale)
            self._page_breaks(scale / 100, repeated)
        if self.section.id == SUMMARY:
            ws.activate()

    def _print_columns(self, widths: list[float]) -> int:
        """Columns to print: the tables' (less analysts' columns), and as many more as a left chart spans."""
        n = self.n_print or self.n_columns
        for item in self.charts:
            if item.beside is not None:
                n = max(n, self._columns_for(widths, item.beside, CHART_BESIDE))
            elif item.column == 0 and not self.spans[1]:
                n = max(n, self._columns_for(widths, 0, self.layout.chart_width))
        return n

    @staticmethod
    def _columns_for(widths: list[float], first: int, pixels: int) -> int:
        """The column after the last one a drawing ``pixels`` wide from column ``first`` reaches."""
        used, col = 0, first
        while used < pixels + 8:
            used += column_pixels(widths[col]) if col < len(widths) else column_pixels(DEFAULT_WIDTH)
            col += 1
        return col

    def print_scale(self, widths: list[float], n_columns: int) -> int:
        """The print scale in percent that makes the printed columns one page wide (at most ``layout.max_print_scale``).

        Set explicitly rather than "fit to one page wide", so every application prints the
        sheet at the same scale and the page breaks fall where :meth:`_page_breaks` puts them;
        the columns are measured as the widest application draws them (:func:`print_width`).
        """
        page_width, _ = printable(self.layout.paper, MARGINS)
        size = self.styles.font.size
        sheet = sum(print_width(widths[c] if c < len(widths) else DEFAULT_WIDTH, size) for c in range(n_columns))
        return max(10, min(self.layout.max_print_scale, math.floor(100 * page_width / sheet)))

    def _page_breaks(self, scale: float, repeated: tuple[int, int]) -> None:
        _, page_height = printable(self.layout.paper, MARGINS)
        repeat = sum(self.heights.get(r, DEFAULT_ROW_POINTS) for r in range(repeated[0], repeated[1] + 1)) * 4 / 3
        blocks = sorted(self.blocks)
        breaks = page_breaks(self.heights, self.last_row, blocks, page_height / scale, repeat)
        if breaks:
            self.ws.set_h_pagebreaks(breaks)


def _footer_text(text: str) -> str:
    """Text safe in a header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")[:200]
