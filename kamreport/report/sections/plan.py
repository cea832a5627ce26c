"""The account plan (OUTPUTS.md "The account plan"): profile, performance, relationship, opportunities, plan.

The same builders serve a single key account and a group customer (a view over all its sites):
a group plan adds the sites table and sums their targets and agreements.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kamreport.contract import ROLES
from kamreport.kpi.base import ratio
from kamreport.periods import quarter_labels
from kamreport.report.labels import column_label, kpi_label, stage_label, t, value_label
from kamreport.report.sections.base import Section, Table, absent, names
from kamreport.report.sections.pipeline import OPPORTUNITY_COLUMNS
from kamreport.report.sections.summary import scorecard_table
from kamreport.report.sections.trends import kpi_trend
from kamreport.report.views import View

TREND = ["revenue", "revenue_target", "share_of_wallet", "frequency_attainment", "gross_margin", "fill_rate"]
DMU_ROLES = tuple(r for r in ROLES if r != "other")


def _pair_table(table_id: str, title: str, rows: list[tuple[str, object, str]]) -> Table:
    """(label, value, unit) rows as an item / value table with per-row units."""
    frame = pd.DataFrame(rows, columns=["item", "value", "unit"])
    return Table(table_id, title, frame, units={"item": "text", "value": "@unit"}, hidden=("unit",))


# --------------------------------------------------------------------------- profile


def profile(view: View) -> Section:
    """Who the customer is: group and sites, region, owner, tier, position and its history, competition."""
    lang = view.lang
    plan = view.accounts
    tables = [_pair_table("profile", t("title.profile", lang), _profile_rows(view))]
    if view.level == "group" or plan["group_id"].notna().any():
        tables.append(Table("sites", t("title.sites", lang), sites(view)))
    tables.append(Table("position_history", t("title.position_history", lang), position_history(view)))
    return Section("profile", t("title.profile", lang), t("intro.profile", lang), tables)


def _profile_rows(view: View) -> list[tuple[str, object, str]]:
    lang = view.lang
    plan = view.accounts
    label = lambda c: column_label(c, lang)  # noqa: E731 - a local shorthand
    if view.level == "group":
        return [
            (label("group_id"), view.key, "text"),
            (label("sites"), len(plan), "count"),
            (label("region"), ", ".join(sorted(plan["region"].astype(str).unique())), "text"),
            (label("owner"), ", ".join(sorted(plan["owner"].astype(str).unique())), "text"),
            (label("revenue_t4q"), plan["revenue_t4q"].sum(), "amount"),
            (label("potential_monthly"), plan["potential_monthly"].sum(min_count=1), "amount"),
            (t("count.key_accounts", lang), int(plan["key_account"].sum()), "count"),
        ]
    row = plan.iloc[0]
    return [
        (label("account_name"), row["account_name"], "text"),
        (label("account_id"), plan.index[0], "text"),
        (label("group_id"), row["group_id"], "text"),
        (label("region"), row["region"], "text"),
        (label("owner"), row["owner"], "text"),
        (label("segment"), row["segment"], "text"),
        (label("status"), row["status"], "label"),
        (label("tier"), f"{row['tier']} ({label('tier_pq')}: {row['tier_pq']})", "text"),
        (label("key_account"), bool(row["key_account"]), "label"),
        (label("review"), row["review"], "label"),
        (label("position"), row["position"], "label"),
        (label("position_pq"), row["position_pq"], "label"),
        (label("revenue_t4q"), row["revenue_t4q"], "amount"),
        (label("potential_monthly"), row["potential_monthly"], "amount"),
        (label("competitor"), row["competitor"], "text"),
        (label("competitor_tier"), row["competitor_tier"], "text"),
        (label("decision_style"), row["decision_style"], "label"),
        (label("priority"), row["priority"], "count"),
    ]


def sites(view: View) -> pd.DataFrame:
    """The sites of the view's group(s): revenue, tier, position (the account's own site first)."""
    groups = view.accounts["group_id"].dropna().unique()
    run = view.run.accounts
    rows = run[run["group_id"].isin(groups)].set_index("account_id")
    columns = ["account_name", "region", "owner", "tier", "key_account", "position", "revenue", "revenue_t4q"]
    frame = rows[columns].sort_values("revenue_t4q", ascending=False)
    return frame.rename_axis("account_id").reset_index()


def position_history(view: View) -> pd.DataFrame:
    """The position in each trend quarter (accounts as columns for a group, at most 12)."""
    positions = view.run.data.results.positions
    rows = positions[positions["account_id"].isin(view.ids)]
    if view.level == "account":
        frame = rows[["period", "position"]].sort_values("period").reset_index(drop=True)
        share = view.trend(["share_of_wallet"])["share_of_wallet"]
        frame["share_of_wallet"] = frame["period"].map(share)
        return frame
    rows = rows.assign(
        position=[value_label(p, view.lang) for p in rows["position"]]
    )  # cells of a pivot: translated here
    table = rows.pivot(index="period", columns="account_id", values="position").sort_index()
    table = table[list(view.accounts.sort_values("revenue_t4q", ascending=False).index[:12])]
    return table.rename(columns=names(view).to_dict()).rename_axis("period").reset_index()


# --------------------------------------------------------------------------- performance


def performance(view: View) -> Section:
    """The five indicators against target and last year, their trend, product mix and divisions."""
    lang = view.lang
    score = scorecard_table(view)
    trend = kpi_trend(view, TREND)
    tables = [score, Table("trend", t("title.trend", lang), trend)]
    if view.facts.has("products"):
        tables.append(Table("mix", t("title.mix", lang), product_mix(view)))
    if view.facts.has("sales", "division"):
        tables.append(Table("divisions", t("title.divisions", lang), divisions(view)))
    return Section("performance", t("title.performance", lang), t("intro.performance", lang), tables)


def product_mix(view: View) -> pd.DataFrame:
    """Revenue of the quarter by business group and category, with each one's share."""
    mix = view.rows(view.facts.sales_mix)
    mix = mix[mix["quarter"] == str(view.period)]
    other = value_label("other", view.lang)
    frame = (
        mix.assign(business_group=mix["business_group"].fillna(other), category=mix["category"].fillna(other))
        .groupby(["business_group", "category"], as_index=False)
        .agg(revenue=("revenue", "sum"))
        .sort_values("revenue", ascending=False)
    )
    frame["share"] = ratio(frame["revenue"], pd.Series(frame["revenue"].sum(), index=frame.index))
    return frame.reset_index(drop=True)


def divisions(view: View) -> pd.DataFrame:
    """Revenue of the quarter by selling division (cross-division sales)."""
    rows = view.rows(view.facts.sales_division)
    rows = rows[rows["quarter"] == str(view.period)]
    frame = (
        rows.groupby("division", as_index=False).agg(revenue=("revenue", "sum")).sort_values("revenue", ascending=False)
    )
    frame["share"] = ratio(frame["revenue"], pd.Series(frame["revenue"].sum(), index=frame.index))
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- relationship


def relationship(view: View) -> Section:
    """The decision-making unit, the roles nobody met this quarter, and the visit history."""
    lang = view.lang
    tables: list[Table] = []
    if view.facts.has("contacts"):
        contacts = dmu(view)
        note = None if len(contacts) else t("no_contacts", lang)
        tables.append(Table("contacts", t("title.contacts", lang), contacts, note=note))
    if view.facts.has("visits"):
        tables.append(Table("roles_not_visited", t("title.roles_not_visited", lang), roles_not_visited(view)))
        history = visit_history(view)
        note = None if len(history[history["period"] == str(view.period)]) else t("no_visits", lang)
        tables.append(Table("visits", t("title.visit_history", lang), history, note=note))
    if not tables:
        return absent(view, "relationship", "contacts / visits")
    return Section("relationship", t("title.relationship", lang), t("intro.relationship", lang), tables)


def dmu(view: View) -> pd.DataFrame:
    """Contacts by role (procurement, user, design, management, other) with influence and strength."""
    contacts = view.rows(view.facts.contacts)
    order = {role: i for i, role in enumerate(ROLES)}
    frame = contacts.assign(_order=contacts["role"].map(order)).sort_values(
        ["_order", "strength"], ascending=[True, False]
    )
    columns = ["name", "role", "influence", "strength"] + (["account_id"] if view.level == "group" else [])
    return frame[columns].reset_index(drop=True)


def roles_not_visited(view: View) -> pd.DataFrame:
    """DMU roles with no completed visit this quarter (and how many contacts each has)."""
    visited = view.rows(view.facts.visits_role)
    visited = visited[(visited["quarter"] == str(view.period)) & (visited["completed"] > 0)]
    met = set(visited["contact_role"].astype(str))
    contacts = view.rows(view.facts.contacts) if view.facts.has("contacts") else pd.DataFrame(columns=["role"])
    counts = contacts.groupby("role").size() if len(contacts) else pd.Series(dtype="int64")
    missing = [r for r in DMU_ROLES if r not in met]
    return pd.DataFrame({"role": missing, "count": [int(counts.get(r, 0)) for r in missing]}).rename(
        columns={"count": "contacts"}
    )


def visit_history(view: View, limit: int = 40) -> pd.DataFrame:
    """The latest visits (up to ``limit``), newest first, with the quarter of each."""
    log = view.rows(view.facts.visit_log)
    frame = log.sort_values("date", ascending=False).head(limit).copy()
    frame["period"] = [f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in frame["date"]]
    columns = ["date", "period", "rep", "status", "successful", "contact_role", "notes"]
    return frame[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- opportunities


def opportunities(view: View) -> Section:
    """Open opportunities with their stage, value score and dimensions; won and lost this quarter."""
    if not view.facts.has("opportunities"):
        return absent(view, "opportunities", "opportunities")
    lang = view.lang
    opps = view.run.data.results.opportunities
    mine = opps[opps["account_id"].isin(view.ids)] if len(opps) else opps
    open_ = (
        mine[mine["status"] == "open"].sort_values(["stage", "amount"], ascending=[False, False]) if len(mine) else mine
    )
    columns = [
        "opportunity_id",
        "stage",
        "stage_name",
        *OPPORTUNITY_COLUMNS,
        "high_value",
        "expected_close",
        "competitor",
    ]
    frame = open_.assign(stage_name=[stage_label(s, lang) for s in open_["stage"]]) if len(open_) else open_
    frame = frame.reindex(columns=columns).reset_index(drop=True)
    closed = _closed_this_quarter(mine, view)
    tables = [
        Table(
            "open", t("title.open_opportunities", lang), frame, note=None if len(frame) else t("no_opportunities", lang)
        ),
        Table("closed", t("title.closed_opportunities", lang), closed, units={"status": "label"}),
    ]
    return Section("opportunities", t("title.opportunities", lang), t("intro.opportunities", lang), tables)


def _closed_this_quarter(opps: pd.DataFrame, view: View) -> pd.DataFrame:
    columns = ["opportunity_id", "status", "stage", "amount", "close_date", "competitor"]
    if opps.empty:
        return pd.DataFrame(columns=columns)
    inside = (quarter_labels(opps["close_date"]) == str(view.period)).fillna(False).astype(bool)
    rows = opps[inside & opps["status"].isin(["won", "lost"])].sort_values("close_date")
    return rows[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- plan


def plan(view: View) -> Section:
    """Next quarter's target and its derivation, the annual agreement so far, receivables, actions."""
    lang = view.lang
    tables = [
        Table(
            "derivation",
            t("title.derivation", lang),
            derivation(view),
            units={"item": "text", "value": "@unit", "how": "text"},
            hidden=("unit",),
        )
    ]
    if view.level == "group":
        from kamreport.report.sections.accounts import target_table

        tables.append(Table("targets", t("title.targets", lang), target_table(view)))
    if view.facts.has("agreements"):
        tables.append(
            Table(
                "agreement",
                t("title.agreement", lang),
                agreement(view),
                units={
                    "item": "text",
                    "committed": "@unit",
                    "actual": "@unit",
                    "progress": "share",
                    "expected_ytd": "share",
                },
                hidden=("unit",),
            )
        )
    tables.append(_pair_table("receivables", t("title.receivables", lang), receivables(view)))
    recommended = actions(view)
    tables.append(
        Table(
            "actions",
            t("title.actions", lang),
            recommended,
            units={"rule": "text", "action": "text", "condition": "text"},
            note=None if len(recommended) else t("no_actions", lang),
        )
    )
    return Section("plan", t("title.plan", lang), t("intro.plan", lang), tables)


def derivation(view: View) -> pd.DataFrame:
    """How next quarter's target was reached: revenue history, base, the formula, target, reconciliation.

    Columns ``item``, ``value`` (unit per row in ``unit``) and ``how`` (the formula applied).
    """
    lang = view.lang
    plan_rows = view.accounts
    targets = view.params.planning.targets
    w = targets.weights
    label = lambda c: column_label(c, lang)  # noqa: E731 - a local shorthand
    rows: list[tuple[str, object, str, str]] = [
        (kpi_label("revenue", lang), plan_rows["revenue"].sum(), "amount", ""),
        (kpi_label("revenue_pq", lang), plan_rows["revenue_pq"].sum(), "amount", ""),
        (label("revenue_p2"), plan_rows["revenue_p2"].sum(), "amount", ""),
        (label("base"), plan_rows["base"].sum(), "amount", t("formula.base", lang).format(w0=w[0], w1=w[1], w2=w[2])),
    ]
    how = ""
    if view.level == "account":
        row = plan_rows.iloc[0]
        rows.append((label("position"), row["position"], "label", ""))
        if row["status"] == "closed":
            how = t("formula.closed", lang)
        elif row["position"] == "attack":
            rows.append((kpi_label("demand", lang), row["demand"], "amount", ""))
            how = t("formula.attack", lang).format(capture=targets.attack_capture, share=targets.attack_target_share)
            rows.append((label("capture"), row["capture"], "amount", how))
        else:
            how = t("formula.maintain", lang).format(growth=row["market_growth"])
            rows.append((label("market_growth"), row["market_growth"], "share", ""))
    rows.append((label("target_nq"), plan_rows["target_nq"].sum(), "amount", how))
    total = float(plan_rows["target_nq"].sum())
    reconciled = float(plan_rows["target_nq_reconciled"].sum())
    if targets.company_target_nq is not None and total > 0:
        factor = reconciled / total
        rows.append(
            (label("target_nq_reconciled"), reconciled, "amount", t("formula.reconciled", lang).format(factor=factor))
        )
    else:
        rows.append((label("target_nq_reconciled"), reconciled, "amount", ""))
    return pd.DataFrame(rows, columns=["item", "value", "unit", "how"])


def agreement(view: View) -> pd.DataFrame:
    """The year's agreement against what was done so far: volume, revenue, spend, promotions, displays."""
    year = view.period.year
    agreements = view.rows(view.facts.agreements)
    committed = agreements[agreements["year"] == year]
    months = [f"{year}-{m:02d}" for m in range(1, view.period.end.month + 1)]
    sales = view.rows(view.facts.sales_month)
    sales = sales[sales["month"].isin(months)]
    spend = view.rows(view.facts.spend_month)
    spend = spend[spend["month"].isin(months)] if len(spend) else spend
    visits = view.rows(view.facts.visits)
    visits = (
        visits[visits["quarter"].isin({f"{year}Q{q}" for q in range(1, view.period.q + 1)})] if len(visits) else visits
    )
    actual = {
        "volume_target": sales["quantity"].sum(),
        "revenue_target": sales["revenue"].sum(),
        "spend_commitment": spend["amount"].sum() if len(spend) else np.nan,
        "promotions_committed": visits["promotions"].sum() if len(visits) else np.nan,
        "displays_committed": visits["displays"].sum() if len(visits) else np.nan,
    }
    units = {
        "volume_target": "quantity",
        "revenue_target": "amount",
        "spend_commitment": "amount",
        "promotions_committed": "count",
        "displays_committed": "count",
    }
    items = {
        "volume_target": kpi_label("quantity", view.lang),
        "revenue_target": kpi_label("revenue", view.lang),
        "spend_commitment": kpi_label("trade_spend", view.lang),
        "promotions_committed": kpi_label("promotions", view.lang),
        "displays_committed": kpi_label("displays", view.lang),
    }
    expected = len(months) / 12
    rows = []
    for column, item in items.items():
        goal = committed[column].sum(min_count=1) if len(committed) else np.nan
        done = actual[column]
        progress = _share(done, goal)
        rows.append({"item": item, "committed": goal, "actual": done, "progress": progress, "expected_ytd": expected})
        rows[-1]["unit"] = units[column]
    return pd.DataFrame(rows)


def _share(part: object, whole: object) -> float:
    values = pd.to_numeric(pd.Series([part, whole], dtype="object"), errors="coerce").astype("float64")
    if values.isna().any() or values.iloc[1] == 0:
        return np.nan
    return float(values.iloc[0] / values.iloc[1])


def receivables(view: View) -> list[tuple[str, object, str]]:
    """Open and overdue receivables at the quarter end against the credit limit."""
    k = view.kpis()
    lang = view.lang
    return [
        (kpi_label("ar_open", lang), k["ar_open"], "amount"),
        (kpi_label("ar_overdue", lang), k["ar_overdue"], "amount"),
        (kpi_label("overdue_ratio", lang), k["overdue_ratio"], "share"),
        (column_label("credit_limit", lang), view.accounts["credit_limit"].sum(min_count=1), "amount"),
        (kpi_label("credit_utilization", lang), k["credit_utilization"], "share"),
    ]


def actions(view: View) -> pd.DataFrame:
    """The recommended actions of the view's accounts, with the rule that raised each."""
    recommended = view.run.data.results.actions
    rows = recommended[recommended["account_id"].isin(view.ids)]
    frame = pd.DataFrame(
        {
            "account_name": rows["account_id"].map(names(view)),
            "rule": rows["rule"],
            "action": rows[view.lang],
            "condition": rows["condition"],
        }
    )
    if view.level == "account":
        frame = frame.drop(columns="account_name")
    return frame.reset_index(drop=True)


PLAN_SECTIONS: tuple[Callable[[View], Section], ...] = (profile, performance, relationship, opportunities, plan)
