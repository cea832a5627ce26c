"""What a report notebook calls: one line per chapter, so the notebook stays thin.

``kr.show(view, "profit")`` returns a :class:`Chapter`: Jupyter displays it through
``_repr_html_`` (charts rendered to PNG at that moment), and an analyst can change it first::

    ch = kr.show(view, "profit")
    ch.figures[0].axes[0].set_ylim(0, None)
    ch.tables["by_account"].head()
    ch

The executed notebook's outputs are the HTML report (:mod:`kamreport.report.export`), so the
report shows exactly what the notebook showed.
"""

from __future__ import annotations

from typing import overload

import pandas as pd
from matplotlib.figure import Figure

from kamreport.report.chapters import chapter, chapters_for
from kamreport.report.charts import use_style
from kamreport.report.html import contents, section_html, title_block
from kamreport.report.labels import column_label, run_text, t, value_label
from kamreport.report.sections.base import Section, Table
from kamreport.report.spec import ChapterSpec, build_section
from kamreport.report.theme import Theme, load_theme
from kamreport.report.views import View

_STYLED: list[Theme] = []  # the theme matplotlib was last set up for in this process


def readable(table: Table, view: View) -> pd.DataFrame:
    """A table as a reader sees it: shown columns under their labels, enum values in words, numbers as numbers."""
    frame = table.frame.reset_index(drop=True)
    data = {}
    for column in table.shown:
        values = frame[column]
        if table.units.get(column) == "label":
            values = values.map(lambda v: v if pd.isna(v) else value_label(v, view.lang))
        data[column] = values
    labels = [column_label(c, view.lang) for c in table.shown]
    readable_frame = pd.DataFrame(data)
    readable_frame.columns = pd.Index(labels)
    return readable_frame


class Chapter:
    """One chapter of a report or plan, as a notebook shows it.

    Attributes
    ----------
    section
        The chapter's tables with canonical column ids and units (what the workbook writes).
    figures
        Its charts (matplotlib Figures drawn with seaborn); change them before the chapter is
        displayed and the display shows the change.
    """

    def __init__(self, spec: ChapterSpec, section: Section, view: View, figures: list[Figure]) -> None:
        self.spec = spec
        self.section = section
        self.view = view
        self.figures = figures

    @property
    def id(self) -> str:
        """The chapter's id."""
        return self.section.id

    @property
    def title(self) -> str:
        """The chapter's title in the view's language."""
        return self.section.title

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Table id → the table as the chapter shows it (labelled columns, enum values in words)."""
        return {table.id: readable(table, self.view) for table in self.section.tables}

    def _repr_html_(self) -> str:
        return section_html(self.section, self.view, self.figures)

    def __repr__(self) -> str:
        # the ids only: building every readable table for a repr (IPython asks for one with each display) costs time
        ids = ", ".join(table.id for table in self.section.tables)
        shown = "absent: " + self.section.missing if self.section.missing else f"tables {ids}"
        return f"<Chapter {self.id!r} of {self.view.level} {self.view.key!r}: {shown}; {len(self.figures)} figure(s)>"


class Cover:
    """The title block and contents of a report or plan (Jupyter displays it through ``_repr_html_``)."""

    def __init__(self, view: View) -> None:
        self.view = view

    def _repr_html_(self) -> str:
        view = self.view
        toc = [(spec.id, run_text(t(f"title.{spec.id}", view.lang), view.params)) for spec in chapters_for(view.level)]
        return title_block(view) + contents(toc, view.lang)

    def __repr__(self) -> str:
        return f"<Cover of {self.view.level} {self.view.key!r}>"


def _style(theme: Theme) -> None:
    if not _STYLED or _STYLED[0] != theme:
        use_style(theme)
        _STYLED[:] = [theme]


def begin(view: View) -> Cover:
    """Chart style, and the title block and table of contents of a report or an account plan."""
    _style(load_theme(view.params.report))
    return Cover(view)


@overload
def show(view: View) -> Cover: ...


@overload
def show(view: View, chapter_id: str) -> Chapter: ...


def show(view: View, chapter_id: str | None = None) -> Chapter | Cover:
    """One chapter of ``view`` — its explanation, charts and tables — as a :class:`Chapter` to display or change.

    Parameters
    ----------
    view
        A region, the company, a group or an account (``run.region("East")``).
    chapter_id
        A chapter of the view's document (``summary``, ``profit`` … see
        :mod:`kamreport.report.chapters`); None: the document's title block and contents.

    Returns
    -------
    Chapter | Cover
        Nothing is displayed until Jupyter displays the returned object.
    """
    if chapter_id is None:
        return begin(view)
    spec = chapter(chapter_id)
    section = build_section(spec, view)
    theme = load_theme(view.params.report)
    _style(theme)
    figures: list[Figure] = []
    if not section.missing:
        tables = {table.id: table for table in section.tables}
        figures = [draw(view, tables, theme) for draw in spec.charts]
    return Chapter(spec, section, view, figures)
