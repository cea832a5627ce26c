"""What a chapter declaration is: its tables, its charts, its documents and the inputs it needs.

One :class:`ChapterSpec` per chapter, listed in :mod:`kamreport.report.chapters`, is the one
source of the workbook's sheets, the HTML report's chapters and the notebooks' cells
(docs/chapters.md).  A :class:`TableSpec` names the function that selects the table's rows
from the run's results, its units, the native Excel chart drawn from its cells and whether
it gets a sheet of its own.  :func:`build_section` turns a declaration and a view into the
:class:`~kamreport.report.sections.base.Section` both writers render.

Labels follow the chapter id: ``title.<id>``, ``intro.<id>``, ``sheet.<id>`` and
``notebook.<id>`` in :mod:`kamreport.report.labels`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from kamreport.layout import Level
from kamreport.params import Rag
from kamreport.report.labels import run_text, t
from kamreport.report.sections.base import Section, Table, has_not_meaningful
from kamreport.report.theme import Theme
from kamreport.report.views import View

if TYPE_CHECKING:  # the chapters are read without drawing (the run's index page): no matplotlib then
    from matplotlib.figure import Figure

FrameFn = Callable[[View], pd.DataFrame]
NoteFn = Callable[[View, pd.DataFrame], "str | None"]
WhenFn = Callable[[View], bool]
ThresholdsFn = Callable[[View], Mapping[str, Rag]]
# A seaborn / matplotlib chart of the chapter, drawn from its tables (by id) in the theme.
ChartFn = Callable[[View, Mapping[str, Table], Theme], "Figure"]
# A native Excel chart drawn from a written table's cells (kamreport.report.excel.charts).
ExcelChartFn = Callable[..., Any]

REPORTS: tuple[Level, ...] = ("company", "region")
PLANS: tuple[Level, ...] = ("group", "account")


@dataclass(frozen=True)
class TableSpec:
    """One table of a chapter.

    Parameters
    ----------
    id
        Unique within the chapter (the Excel table is named ``<chapter>_<id>``).
    frame
        View → the table's rows, canonical column ids: it selects from the run's results
        and formats, it never computes a figure.
    title
        Label key of the table's title (a title equal to the chapter's is not repeated).
    units
        Column → unit where :func:`~kamreport.report.sections.base.unit_of` does not know it;
        ``@col`` takes each row's unit from column ``col``.
    hidden
        Columns that carry per-row units or keys, not shown.
    note
        (view, frame) → a sentence under the table, or None.
    needs
        Input tables the table needs (``"visits"``, ``"sales.division"`` for a column).
    when
        View → whether the table appears (beyond ``needs``).
    excel_chart
        The native Excel chart drawn from the table's cells, placed under it.
    sheet
        Label key of a sheet of its own (a long table prints with its header on every page);
        None: the chapter's sheet.
    link_plans
        Link each row's account name to its account plan workbook.
    column
        The layout column of the sheet: 0 the left (default), 1 the right, beside the left
        column's tables (a one-page Summary puts its key numbers and chart there).
    printed
        False: the table feeds its chart only; the workbook writes its cells below the printed
        area and draws the chart where the table would stand, the HTML folds it away.
    empty
        Label key of the sentence shown when the table has no rows (default ``none``).
    technical
        Columns for analysts (ids, codes, working figures): the workbook writes them last,
        outside the printed area, and the HTML report leaves them out.
    limit
        At most this many rows (the frame comes largest first); a note says how many there are.
    chart_beside
        The workbook draws the table's chart beside it rather than below (a short, narrow table).
    thresholds
        View → column → red / amber / green thresholds beyond ``report.rag`` (a params value
        such as ``planning.kam_capacity``); both writers colour those columns.
    html_limit
        The HTML report shows at most this many rows, with a note that the workbook and
        accounts.csv hold the rest; the workbook keeps every row (a region of thousands of
        accounts would otherwise make a page of megabytes).
    """

    id: str
    frame: FrameFn
    title: str
    units: Mapping[str, str] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()
    note: NoteFn | None = None
    needs: tuple[str, ...] = ()
    when: WhenFn | None = None
    excel_chart: ExcelChartFn | None = None
    sheet: str | None = None
    link_plans: bool = False
    column: int = 0
    printed: bool = True
    empty: str | None = None
    technical: tuple[str, ...] = ()
    limit: int | None = None
    chart_beside: bool = False
    thresholds: ThresholdsFn | None = None
    html_limit: int | None = None

    def build(self, view: View) -> Table:
        """The table of ``view``.

        A note says when the list was cut to ``limit`` rows and when a cell is not meaningful
        (its ratio's base is below ``kpi.min_base_revenue`` / ``kpi.min_base_spend`` / ``kpi.min_base_units``).
        """
        frame = self.frame(view)
        notes = [self.note(view, frame)] if self.note else []
        if self.limit is not None and len(frame) > self.limit:
            notes = [t("note.top", view.lang).format(shown=self.limit, total=len(frame))]
            frame = frame.head(self.limit)
        if has_not_meaningful(frame):
            notes.append(t("note.not_meaningful", view.lang))
        note = ("" if view.lang == "zh" else " ").join(n for n in notes if n) or None
        if self.technical:  # analysts' columns last: the printed area stops before them
            frame = frame[
                [c for c in frame.columns if c not in self.technical] + [c for c in self.technical if c in frame]
            ]
        return Table(
            self.id,
            run_text(t(self.title, view.lang), view.params),
            frame,
            units=dict(self.units),
            note=note,
            hidden=self.hidden,
            excel_chart=self.excel_chart,
            sheet=self.sheet,
            link_plans=self.link_plans,
            column=self.column,
            printed=self.printed,
            empty=t(self.empty or "none", view.lang),
            technical=tuple(c for c in self.technical if c in frame),
            chart_beside=self.chart_beside,
            thresholds=dict(self.thresholds(view)) if self.thresholds else {},
            html_limit=self.html_limit,
        )


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter: a sheet (or more) of the workbook, a chapter of the HTML report, a notebook cell.

    Parameters
    ----------
    id
        The chapter's id (``kr.show(view, id)``); its labels are ``title.<id>``,
        ``intro.<id>``, ``sheet.<id>`` and ``notebook.<id>``.
    documents
        The documents it appears in: ``company`` and ``region`` reports, ``group`` and
        ``account`` plans.
    tables
        Its tables, in order.
    charts
        Its seaborn charts (HTML report and notebook), drawn above the tables.
    needs
        Input tables the chapter needs; without them it shows one sentence instead.
    absent
        How that sentence names what is missing (default: ``needs`` joined by `` / ``).
    one_page
        The chapter's sheet prints on one page (the Summary, a plan's first page).
    """

    id: str
    documents: tuple[Level, ...]
    tables: tuple[TableSpec, ...]
    charts: tuple[ChartFn, ...] = ()
    needs: tuple[str, ...] = ()
    absent: str | None = None
    one_page: bool = False

    def table(self, table_id: str) -> TableSpec:
        """One of the chapter's table declarations by id."""
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(f"chapter {self.id!r} has no table {table_id!r}")


def has_inputs(view: View, needs: tuple[str, ...]) -> bool:
    """Whether the run has every input of ``needs`` (``table`` or ``table.column``)."""
    for need in needs:
        table, _, column = need.partition(".")
        if not view.facts.has(table, column or None):
            return False
    return True


def build_section(spec: ChapterSpec, view: View) -> Section:
    """The chapter of ``view``: its tables, or one sentence naming the input that would enable it.

    Built once per view (a plan's notebook shows every chapter, then writes the workbook from
    the same chapters); each call gets its own copy of the tables' frames, so a caller that
    changes one changes nobody else's.
    """
    built = view.sections.get(spec.id)
    if built is None:
        built = view.sections[spec.id] = _build_section(spec, view)
    # a shallow copy is a copy: pandas copies on write, so changing one never changes the other
    tables = [replace(t, frame=t.frame.copy(deep=False)) for t in built.tables]
    return replace(built, tables=tables, absent=list(built.absent))


def _build_section(spec: ChapterSpec, view: View) -> Section:
    lang = view.lang
    title = run_text(t(f"title.{spec.id}", lang), view.params)
    intro = run_text(t(f"intro.{spec.id}", lang), view.params)
    tables: list[Table] = []
    absent: list[str] = []  # the tables left out for an input the run lacks, each named with that input
    if has_inputs(view, spec.needs):
        for table in spec.tables:
            if not has_inputs(view, table.needs):
                name = run_text(t(table.title, lang), view.params)
                absent.append(t("absent.table", lang).format(title=name, table=" / ".join(table.needs)))
            elif table.when is None or table.when(view):
                tables.append(table.build(view))
    if not tables:
        missing = spec.absent or " / ".join(spec.needs) or spec.id
        return Section(spec.id, title, intro, missing=t("absent", lang).format(table=missing))
    return Section(spec.id, title, intro, tables, one_page=spec.one_page, absent=absent)
