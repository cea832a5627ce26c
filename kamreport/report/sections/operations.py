"""Execution, Fill rate and Rhythm: what happened in the field, the warehouse and the calendar.

Every figure comes from the run's results (per-rep visits, monthly series, KPIs); these
functions select the view's rows and order them.
"""

from __future__ import annotations

import pandas as pd

from kamreport.report.labels import run_text, t
from kamreport.report.sections.base import of_view, with_names
from kamreport.report.sections.trends import months
from kamreport.report.views import View

OWNER_EXECUTION = ["visits_required", "visits_completed", "frequency_attainment", "coverage", "visit_compliance"]
REP_COLUMNS = [
    "rep",
    "visits",
    "planned",
    "completed",
    "visit_compliance",
    "visit_success_rate",
    "accounts_visited",
    "displays",
]
WEEKS = ("W1", "W2", "W3", "W4")


def visits_by_rep(view: View) -> pd.DataFrame:
    """Visits of the quarter per rep: planned, completed, compliance, success, accounts visited."""
    reps = of_view(view.run.data.results.reps, view)
    return reps.sort_values(["completed", "rep"], ascending=[False, True])[REP_COLUMNS].reset_index(drop=True)


def policy_by_owner(view: View) -> pd.DataFrame:
    """Visits against the tier policy per account manager of the view."""
    owners = sorted(view.accounts["owner"].dropna().astype(str).unique())
    table = view.run.data.results.kpi_table("owner", str(view.period)).reindex(owners)[OWNER_EXECUTION]
    return table.rename_axis("owner").reset_index()


def capped_note(view: View, _frame: pd.DataFrame) -> str:
    """Why visit frequency can be lower than completed ÷ required: it is capped per account."""
    return t("note.frequency_capped", view.lang)


def weeks_note(view: View, _frame: pd.DataFrame) -> str:
    """Which days of the month each week holds (week 4 from ``kpi.last_week_first_day``)."""
    return run_text(t("note.weeks", view.lang), view.params)


def not_visited(view: View) -> pd.DataFrame:
    """Key accounts of the view with no completed visit this quarter."""
    kpis = view.account_kpis()
    plan = view.accounts
    rows = plan[plan["key_account"].astype(bool) & (kpis["visits_completed"].reindex(plan.index) == 0)]
    frame = rows[["account_name", "owner", "tier", "position", "revenue_t4q"]].sort_values(
        "revenue_t4q", ascending=False
    )
    return frame.rename_axis("account_id").reset_index()


def fill_by_month(view: View) -> pd.DataFrame:
    """Ordered, filled, fill rate, order lines and OTIF per month over the last four quarters."""
    frame = months(view)
    return frame[["month", "qty_ordered", "qty_filled", "fill_rate", "lines", "otif_rate"]]


def worst_fill(view: View, n: int = 10) -> pd.DataFrame:
    """The accounts with the lowest fill rate this quarter (among those that ordered)."""
    kpis = view.account_kpis()
    rows = kpis[kpis["qty_ordered"] > 0].sort_values(["fill_rate", "qty_ordered"], ascending=[True, False]).head(n)
    frame = rows[["qty_ordered", "fill_rate", "otif_rate"]].rename_axis("account_id").reset_index()
    return with_names(frame, view)


def week_of_month(view: View) -> pd.DataFrame:
    """Each month's revenue and its split by week of month (W4 from ``kpi.last_week_first_day``), as shares."""
    frame = months(view)
    shares = frame[["month", "revenue_weeks", "w1", "w2", "w3", "w4"]]
    return shares.rename(columns={"revenue_weeks": "revenue", "w1": "W1", "w2": "W2", "w3": "W3", "w4": "W4"})


def unbalanced_accounts(view: View, n: int = 15) -> pd.DataFrame:
    """Accounts whose last-week share is over the threshold, largest revenue first."""
    kpis = view.account_kpis()
    rows = kpis[kpis["unbalanced"] == 1].sort_values("revenue", ascending=False).head(n)
    frame = rows[["revenue", "last_week_share"]].rename_axis("account_id").reset_index()
    return with_names(frame, view)
