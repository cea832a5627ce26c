"""Execution, Fill rate and Rhythm: what happened in the field, the warehouse and the calendar."""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import ratio
from kamreport.report.labels import t
from kamreport.report.sections.base import Section, Table, absent, quarter_months, with_names
from kamreport.report.views import View

_OWNER_EXECUTION = ["visits_required", "visits_completed", "frequency_attainment", "coverage", "visit_compliance"]
_WEEKS = ("W1", "W2", "W3", "W4")


def visits_by_rep(view: View) -> pd.DataFrame:
    """Visits of the quarter per rep: planned, completed, compliance, success, accounts visited."""
    visits = view.rows(view.facts.visits)
    visits = visits[visits["quarter"] == str(view.period)]
    grouped = visits.groupby("rep")
    frame = pd.DataFrame(
        {
            "visits": grouped["visits"].sum(),
            "planned": grouped["planned"].sum(),
            "completed": grouped["completed"].sum(),
            "visit_compliance": ratio(grouped["planned_completed"].sum(), grouped["planned"].sum()),
            "visit_success_rate": ratio(grouped["successful"].sum(), grouped["success_known"].sum()),
            "accounts_visited": visits[visits["completed"] > 0].groupby("rep")["account_id"].nunique(),
            "promotions": grouped["promotions"].sum(),
            "displays": grouped["displays"].sum(),
        }
    )
    frame["accounts_visited"] = frame["accounts_visited"].fillna(0)
    return frame.sort_values("completed", ascending=False).rename_axis("rep").reset_index()


def policy_by_owner(view: View) -> pd.DataFrame:
    """Visits against the tier policy per account manager of the view."""
    owners = sorted(view.accounts["owner"].dropna().astype(str).unique())
    table = view.run.data.results.kpi_table("owner", str(view.period)).reindex(owners)[_OWNER_EXECUTION]
    return table.rename_axis("owner").reset_index()


def not_visited(view: View) -> pd.DataFrame:
    """Key accounts of the view with no completed visit this quarter."""
    kpis = view.account_kpis()
    plan = view.accounts
    rows = plan[plan["key_account"].astype(bool) & (kpis["visits_completed"].reindex(plan.index) == 0)]
    frame = rows[["account_name", "owner", "tier", "position", "revenue_t4q"]].sort_values(
        "revenue_t4q", ascending=False
    )
    return frame.rename_axis("account_id").reset_index()


def execution(view: View) -> Section:
    """The Execution sheet."""
    if not view.facts.has("visits"):
        return absent(view, "execution", "visits")
    lang = view.lang
    tables = [
        Table("by_rep", t("title.execution", lang), visits_by_rep(view)),
        Table("by_owner", t("title.execution_owner", lang), policy_by_owner(view)),
        Table("not_visited", t("title.not_visited", lang), not_visited(view)),
    ]
    return Section("execution", t("title.execution", lang), t("intro.execution", lang), tables)


def fill_by_month(view: View, quarters: int = 4) -> pd.DataFrame:
    """Ordered, filled, fill rate and OTIF per month over the last ``quarters`` quarters."""
    orders = view.rows(view.facts.orders_month)
    months = quarter_months(view, quarters)
    grouped = orders[orders["month"].isin(months)].groupby("month")
    frame = pd.DataFrame(
        {
            "qty_ordered": grouped["qty_ordered"].sum(),
            "qty_filled": grouped["qty_filled"].sum(),
            "lines": grouped["lines"].sum(),
            "otif_lines": grouped["lines_otif"].sum(),
            "requested_lines": grouped["lines_requested"].sum(),
        }
    ).reindex(months)
    frame["fill_rate"] = ratio(frame["qty_filled"], frame["qty_ordered"])
    frame["otif_rate"] = ratio(frame["otif_lines"], frame["requested_lines"])
    return frame[["qty_ordered", "qty_filled", "fill_rate", "lines", "otif_rate"]].rename_axis("month").reset_index()


def worst_fill(view: View, n: int = 10) -> pd.DataFrame:
    """The accounts with the lowest fill rate this quarter (among those that ordered)."""
    kpis = view.account_kpis()
    rows = kpis[kpis["qty_ordered"] > 0].sort_values(["fill_rate", "qty_ordered"], ascending=[True, False]).head(n)
    frame = rows[["qty_ordered", "fill_rate", "otif_rate"]].rename_axis("account_id").reset_index()
    return with_names(frame, view)


def fill_rate(view: View) -> Section:
    """The Fill rate sheet."""
    if not view.facts.has("orders"):
        return absent(view, "fill_rate", "orders")
    lang = view.lang
    tables = [
        Table("by_month", t("title.fill_rate", lang), fill_by_month(view)),
        Table("worst", t("title.fill_rate_worst", lang), worst_fill(view)),
    ]
    return Section("fill_rate", t("title.fill_rate", lang), t("intro.fill_rate", lang), tables)


def week_of_month(view: View, quarters: int = 4) -> pd.DataFrame:
    """Each month's revenue split by week of month (W4 = day 22 to the end), as shares of the month."""
    weeks = view.rows(view.facts.sales_week)
    months = quarter_months(view, quarters)
    rows = weeks[weeks["month"].isin(months)]
    table = rows.pivot_table(index="month", columns="week_of_month", values="revenue", aggfunc="sum").reindex(months)
    table = table.reindex(columns=[1, 2, 3, 4])
    total = table.sum(axis=1, min_count=1)
    shares = table.div(total.where(total != 0), axis=0)
    shares.columns = list(_WEEKS)
    shares.insert(0, "revenue", total)
    return shares.rename_axis("month").reset_index()


def unbalanced_accounts(view: View, n: int = 15) -> pd.DataFrame:
    """Accounts whose last-week share is over the threshold, largest revenue first."""
    kpis = view.account_kpis()
    rows = kpis[kpis["unbalanced"] == 1].sort_values("revenue", ascending=False).head(n)
    frame = rows[["revenue", "last_week_share"]].rename_axis("account_id").reset_index()
    return with_names(frame, view)


def rhythm(view: View) -> Section:
    """The Rhythm sheet."""
    lang = view.lang
    heat = week_of_month(view)
    tables = [
        Table("week_of_month", t("title.rhythm", lang), heat, units={w: "share" for w in _WEEKS}),
        Table("unbalanced", t("title.rhythm_accounts", lang), unbalanced_accounts(view)),
    ]
    return Section("rhythm", t("title.rhythm", lang), t("intro.rhythm", lang), tables)
