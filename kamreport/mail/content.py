"""What a message says about its scope: the scorecard, what changed, the top actions, one chart.

The only module of ``kamreport.mail`` that reads the report layer's views and sections, so
the message shows the same figures, labels and formats as the attached workbooks.  It
returns plain text cells; :mod:`kamreport.mail.compose` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kamreport.files import atomic_target, slug
from kamreport.mail.scopes import Scope
from kamreport.report import charts
from kamreport.report.chapters import chapter
from kamreport.report.format import format_value
from kamreport.report.html import cell_class, figure_png
from kamreport.report.labels import column_label, document_title, t
from kamreport.report.sections import Table
from kamreport.report.sections.actions import top_actions
from kamreport.report.spec import build_section
from kamreport.report.theme import load_theme
from kamreport.report.views import Run, View


@dataclass(frozen=True)
class Cell:
    """A value as shown, and how it is styled (``text``, ``num``, ``num neg``, ``rag-green`` …)."""

    text: str
    style: str = "text"


@dataclass(frozen=True)
class Grid:
    """A small titled table of shown values."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class ScopeContent:
    """Everything a message body shows about one scope, in one language."""

    title: str
    scope_label: str  # in the subject: "Company", "Region East" …
    scope_text: str  # in the sentence: the company's name, "Region East" …
    company: str
    period: str
    scorecard: Grid
    changes_title: str
    changes: tuple[str, ...]
    actions: Grid | None  # None when mail.top_actions is 0
    chart: bytes | None
    chart_alt: str
    made: str
    as_of: str


def scope_view(run: Run, scope: Scope) -> View:
    """The view a scope's message is about."""
    if scope.kind == "company":
        return run.company()
    if scope.kind == "region":
        return run.region(scope.key)
    if scope.kind == "owner":
        return run.owner(scope.key)
    return run.group(scope.key)


def scope_label(scope: Scope, view: View) -> str:
    """``Region East``, ``Account manager Li Na``, ``Group G003``, ``Company`` (in the view's language)."""
    if scope.kind == "company":
        return t("run.company", view.lang)
    return f"{t('run.' + scope.kind, view.lang)} {view.name}"


def scope_content(
    run: Run, scope: Scope, action_count: int, chart_cache: Path | None = None, keep_charts: bool = True
) -> ScopeContent:
    """The body's content for ``scope`` in the run's language.

    ``chart_cache`` is a folder where each chart is kept (with ``keep_charts``), named by the
    results key, scope and language: drawing is most of the work, and ``mail`` then
    ``mail --send`` draw each chart once.
    """
    view = scope_view(run, scope)
    lang = view.lang
    summary = build_section(chapter("summary"), view)
    return ScopeContent(
        title=document_title(view.level, view.name, view.period, lang),
        scope_label=scope_label(scope, view),
        scope_text=view.name if scope.kind == "company" else scope_label(scope, view),
        company=view.params.report.company_name,
        period=str(view.period),
        scorecard=_grid(summary.table("scorecard"), view),
        changes_title=t("title.what_changed", lang),
        changes=_changes(summary.table("what_changed").frame, view),
        actions=_actions(view, action_count) if action_count else None,
        chart=_chart(view, scope, summary.table("revenue_by_month"), chart_cache, keep_charts),
        chart_alt=t("title.revenue_trend", lang),
        made=run.data.computed_at,
        as_of=run.data.facts.as_of or "",
    )


def _chart(view: View, scope: Scope, months: Table, cache: Path | None, keep: bool) -> bytes:
    """Revenue against target by month, as PNG (from the cache when it was drawn for these results)."""
    key = view.run.data.key[:16]
    path = cache / f"{key}_{slug(scope.id)}_{view.lang}.png" if cache else None
    if path is not None and path.is_file():
        return path.read_bytes()
    theme = load_theme(view.params.report)
    charts.use_style(theme)
    png = figure_png(charts.revenue_vs_target(view, {months.id: months}, theme))
    if keep and cache is not None and path is not None:
        for old in cache.glob("*.png"):
            if not old.name.startswith(key):
                old.unlink()
        with atomic_target(path) as tmp:
            tmp.write_bytes(png)
    return png


def _grid(table: Table, view: View) -> Grid:
    currency = view.params.report.currency
    columns = table.shown
    units = {column: table.row_units(column) for column in columns}
    values = {column: table.frame[column].tolist() for column in columns}
    rows = []
    for i in range(len(table.frame)):
        cells = []
        for column in columns:
            value, unit = values[column][i], units[column][i]
            cells.append(Cell(format_value(value, unit, view.lang, currency), cell_class(column, value, unit)))
        rows.append(tuple(cells))
    return Grid(table.title, tuple(column_label(c, view.lang) for c in columns), tuple(rows))


def _changes(changed: pd.DataFrame, view: View) -> tuple[str, ...]:
    """What changed, one sentence of each kind in turn, as many as the Summary's list holds."""
    changed = changed.assign(turn=changed.groupby("kind", sort=False).cumcount()).sort_values("turn", kind="stable")
    return tuple(changed["text"].head(view.params.report.what_changed_items).astype(str))


def _actions(view: View, top: int) -> Grid:
    """The scope's recommended actions, most money at stake first, with the amount at stake."""
    rows = top_actions(view, top)
    lang = view.lang
    currency = view.params.report.currency
    cells = tuple(
        (
            Cell(str(name)),
            Cell(str(action)),
            Cell("" if pd.isna(amount) else format_value(amount, "amount", lang, currency), "num"),
        )
        for name, action, amount in zip(rows["account_name"], rows["action"], rows["at_stake"], strict=True)
    )
    headers = (column_label("account_name", lang), column_label("action", lang), column_label("at_stake", lang))
    return Grid(t("title.actions", lang), headers, cells)
