"""What a section is: titled tables with a unit per column, or one sentence when its input is absent."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from kamreport.params import Rag, RunParams
from kamreport.registry import KPI_BY_ID, meaningful
from kamreport.report.format import NOT_MEANINGFUL, NotMeaningful, shown_number
from kamreport.report.labels import t
from kamreport.report.views import View, group_names

T = TypeVar("T")
# (id of a live object, what) → (a weak reference to the object, the value built from it)
_MEMO: dict[tuple[int, str], tuple[weakref.ref[Any], Any]] = {}

# How a value is shown.  "label" values are translated (positions, statuses …); a unit
# starting with "@" names the column that holds each row's unit (mixed-unit tables).
UNITS = ("text", "label", "amount", "count", "quantity", "share", "pp", "multiple", "days", "flag", "index", "date")

COLUMN_UNITS: dict[str, str] = {
    "account_id": "text",
    "account_name": "text",
    "region": "text",
    "owner": "text",
    "group_id": "text",
    "rep": "text",
    "tier": "text",
    "tier_pq": "text",
    "key_account": "label",
    "key_account_pq": "label",
    "review": "label",
    "position": "label",
    "position_pq": "label",
    "status": "label",
    "revenue_t4q": "amount",
    "revenue_p2": "amount",
    "base": "amount",
    "market_growth": "share",
    "capture": "amount",
    "target_nq": "amount",
    "target_nq_reconciled": "amount",
    "priority": "count",
    "potential_monthly": "amount",
    "credit_limit": "amount",
    "count": "count",
    "accounts": "count",
    "contacts": "count",
    "progress": "share",
    "expected_ytd": "share",
    "amount": "amount",
    "weighted": "amount",
    "weighted_amount": "amount",
    "benchmark": "amount",
    "health": "multiple",
    "stage": "count",
    "stage_name": "text",
    "score": "count",
    "score_opportunity": "count",
    "score_compete": "count",
    "score_win": "count",
    "score_worth": "count",
    "answers_missing": "count",
    "high_value": "label",
    "probability": "share",
    "expected_close": "date",
    "close_date": "date",
    "visits": "count",
    "planned": "count",
    "completed": "count",
    "accounts_visited": "count",
    "qty_filled": "quantity",
    "lines": "count",
    "rows_read": "count",
    "rows_used": "count",
    "rows_set_aside": "count",
    "source_row": "count",
    "month": "text",
    "period": "text",
    "date": "date",
    "share": "share",
    "days_overdue": "count",
    "due_date": "date",
    "invoice_date": "date",
    "strength": "count",
    "role": "label",
    "influence": "label",
    "contact_role": "label",
    "successful": "label",
    "decision_style": "label",
    "kind": "label",
    "rag": "label",
    "at_stake": "amount",
    "over_limit": "amount",
    "share_change_qoq_value": "amount",
    "last_quarter": "@unit",
    "target_basis": "label",
    # the plans of record (issue 17)
    "objective": "text",
    "due": "date",
    "completion": "share",
    "start": "date",
    "end": "date",
    "submitted": "date",
    "decided": "date",
    "days": "count",
    "planned_spend": "amount",
    "actual_spend": "amount",
    "spend_vs_plan": "share",
    "planned_volume": "quantity",
    "actual_volume": "quantity",
    "volume_vs_plan": "share",
    "quote_rounds": "count",
    "first_quote": "amount",
    "final_quote": "amount",
    "erosion": "share",
    "bids": "count",
    "commit": "amount",
    "best_case": "amount",
    "pipeline": "amount",
    "below": "amount",
    "adjustment": "amount",
    "commit_vs_actual": "share",
    "attainment_ytd": "share",
    "relationship_stage": "label",
    "planning_level": "label",
    "history_quarters": "count",
    "result": "label",
    **dict.fromkeys(("over_80", "60_80", "30_60", "under_30"), "count"),
}


def unit_of(column: str) -> str:
    """The unit a column is shown in: a KPI's unit from the registry, else :data:`COLUMN_UNITS`, else text."""
    if column in KPI_BY_ID:
        return KPI_BY_ID[column].unit
    return COLUMN_UNITS.get(column, "text")


@dataclass
class Table:
    """A titled frame with canonical column ids (labels come at render time) and a unit per column."""

    id: str
    title: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    hidden: tuple[str, ...] = ()  # columns that carry per-row units or links, not shown
    excel_chart: Callable[..., Any] | None = field(default=None, repr=False)  # its native Excel chart
    sheet: str | None = None  # label key of a sheet of its own (None: the chapter's sheet)
    link_plans: bool = False  # account names link to their plan workbooks
    column: int = 0  # layout column of the sheet: 0 left, 1 right
    printed: bool = True  # False: only its chart is shown (its cells go below the printed area)
    empty: str = ""  # the sentence shown when the table has no rows
    technical: tuple[str, ...] = ()  # analysts' columns: last, outside the printed area, not in the HTML
    chart_beside: bool = False  # the workbook draws its chart beside it, not below
    thresholds: dict[str, Rag] = field(default_factory=dict)  # column → RAG beyond report.rag (this table's)
    html_limit: int | None = None  # the HTML shows the first rows only (a note says where the rest are)

    def __post_init__(self) -> None:
        for column in self.frame.columns:
            self.units.setdefault(str(column), unit_of(str(column)))

    @property
    def shown(self) -> list[str]:
        """The columns a reader sees."""
        return [c for c in self.frame.columns if c not in self.hidden]

    @property
    def printed_columns(self) -> list[str]:
        """The columns a printed page (and the HTML report) shows: the shown ones less the technical."""
        return [c for c in self.shown if c not in self.technical]

    def rag_thresholds(self, params: RunParams) -> dict[str, Rag]:
        """Column → red / amber / green thresholds: ``report.rag`` and the table's own."""
        return {**params.report.rag, **self.thresholds}

    def unit(self, column: str) -> str:
        """The unit declared for ``column`` (``@<column>``: each row's is in that column, see :meth:`row_units`)."""
        return self.units.get(column, "text")

    def row_units(self, column: str) -> list[str]:
        """The unit of each row of ``column`` (a per-row unit column read once)."""
        unit = self.unit(column)
        if unit.startswith("@"):
            return [str(u) for u in self.frame[unit[1:]].tolist()]
        return [unit] * len(self.frame)


@dataclass
class Section:
    """One chapter of a view: a sheet (or more) of a workbook, a chapter of an HTML report."""

    id: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    missing: str | None = None
    one_page: bool = False  # its sheet prints on one page
    absent: list[str] = field(default_factory=list)  # sentences naming the input each left-out table needs

    def table(self, table_id: str) -> Table:
        """One of the section's tables by id."""
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


def rag(value: float, thresholds: Rag | None, unit: str = "") -> str | None:
    """Green / amber / red status of a value against its thresholds; missing value or none → None.

    The value is first rounded as ``unit`` shows it, so a cell never reads one thing and is
    coloured for another (−0.04 points shows ``+0.0 pp`` and is green against a 0 threshold).
    """
    if thresholds is None or value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    value = shown_number(float(value), unit)
    if thresholds.lower_is_better:
        return "green" if value <= thresholds.green else "amber" if value <= thresholds.amber else "red"
    return "green" if value >= thresholds.green else "amber" if value >= thresholds.amber else "red"


def memo(owner: object, what: str, build: Callable[[], T]) -> T:
    """``build()``, made once while ``owner`` lives (a view, or a frame of the run's results).

    For values that depend on ``owner`` alone and that callers only read: a plan asks for
    the run's account names and its recommended actions in several chapters, and a warm
    kernel keeps the run's results (and so these) from one plan to the next.
    """
    key = (id(owner), what)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is owner:
        return hit[1]  # type: ignore[no-any-return]
    value = build()

    def forget(ref: weakref.ref[Any]) -> None:
        if _MEMO.get(key, (None,))[0] is ref:
            del _MEMO[key]

    _MEMO[key] = (weakref.ref(owner, forget), value)
    return value


def names(view: View) -> pd.Series:
    """account_id → account_name for the run (the id where an account has no name); read it, do not change it."""
    accounts = view.run.accounts

    def build() -> pd.Series:
        ids = accounts["account_id"].astype(str)
        named = accounts["account_name"].astype("string").fillna(ids.astype("string"))
        return pd.Series(named.to_numpy(dtype=object), index=ids)

    return memo(accounts, "names", build)


def run_group_names(view: View) -> dict[str, str]:
    """group_id → the group's name over the run's accounts (:func:`~kamreport.report.views.group_names`); read only."""
    accounts = view.run.accounts
    return memo(accounts, "group_names", lambda: group_names(accounts))


def with_names(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """``frame`` with each row's ``account_name`` inserted right after its ``account_id``."""
    position = list(frame.columns).index("account_id") + 1
    frame.insert(position, "account_name", frame["account_id"].map(names(view)))
    return frame


def of_view(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a per-view results frame (columns level, key) that belong to ``view``, without those two.

    The frame's rows are grouped by view once (a warm kernel keeps the run's results from plan
    to plan): a selection costs a look-up, not a scan of every view's rows.
    """
    positions = memo(frame, "positions by view", lambda: _positions(frame, ["level", "key"]))
    rows = frame.iloc[positions.get((view.level, view.key), _NO_ROWS)]
    return rows.drop(columns=["level", "key"]).reset_index(drop=True)


_NO_ROWS = np.array([], dtype=np.intp)


def _positions(frame: pd.DataFrame, columns: list[str]) -> dict[tuple[str, ...], np.ndarray]:
    """(values of ``columns`` as text) → the positions of their rows in ``frame``, in order."""
    positions: dict[tuple[str, ...], np.ndarray] = {}
    for key, rows in frame.groupby(columns, sort=False, observed=True).indices.items():
        values = key if isinstance(key, tuple) else (key,)
        positions[tuple(str(v) for v in values)] = np.asarray(rows)
    return positions


# the five indicators as a row of a table shows them: sales against target and last year, share
# and its change, visit frequency, gross margin, fill rate
FIVE_INDICATORS = (
    "revenue",
    "revenue_target",
    "attainment",
    "growth_yoy",
    "share_of_wallet",
    "share_change_pp",
    "frequency_attainment",
    "gross_margin",
    "fill_rate",
)


def side_by_side(view: View, level: str, keys: list[str], columns: list[str], key_column: str) -> pd.DataFrame:
    """One row per key of ``level`` (the quarter's KPI table, as kpis.csv), then the view's total row.

    ``key_column`` names the keys (the total row reads "Total"); a ratio over a small base is
    not meaningful.
    """
    table = view.run.data.results.kpi_table(level, str(view.period)).reindex(keys)
    both = pd.concat([table, view.kpis().to_frame().T], ignore_index=True)
    frame = both[columns].assign(**{key_column: [*keys, t("total", view.lang)]})
    return not_meaningful(frame[[key_column, *columns]], both, view.params)


def not_meaningful(frame: pd.DataFrame, kpis: pd.DataFrame, params: RunParams) -> pd.DataFrame:
    """``frame`` with :data:`NOT_MEANINGFUL` in each KPI cell whose ratio's base is too small.

    ``kpis`` holds the KPIs of ``frame``'s rows, row for row (the columns shown and their
    bases); the rule is :func:`kamreport.registry.meaningful` (``kpi.min_base_revenue``,
    ``kpi.min_base_spend``, ``kpi.min_base_units``).  Missing values stay missing.
    """
    # the rule reads each shown KPI and its base only: the other KPI columns need no mask
    shown = [c for c in frame.columns if c in kpis.columns]
    bases = [KPI_BY_ID[c].base for c in shown if c in KPI_BY_ID]
    needed = dict.fromkeys([*shown, *(b for b in bases if b is not None and b in kpis.columns)])
    mask = meaningful(kpis[list(needed)].reset_index(drop=True), params.kpi)
    out = frame.copy()
    for column in out.columns:
        if column in mask.columns and not bool(mask[column].all()):
            out[column] = out[column].astype(object).where(mask[column].to_numpy(), NOT_MEANINGFUL)
    return out


def has_not_meaningful(frame: pd.DataFrame) -> bool:
    """Whether any cell of ``frame`` is not meaningful."""
    return any(
        isinstance(value, NotMeaningful)
        for i, dtype in enumerate(frame.dtypes)
        if dtype == np.dtype(object)
        for value in frame.iloc[:, i].tolist()
    )
