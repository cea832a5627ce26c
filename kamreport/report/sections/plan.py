"""The account plan (docs/outputs.md, "The reports"): profile, performance, relationship, opportunities, plan.

The same builders serve a single key account and a group customer (a view over all its sites):
a group plan adds the sites table and sums their targets and agreements.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from kamreport.contract import ROLES
from kamreport.periods import quarter_labels
from kamreport.registry import KPI_BY_ID, is_meaningful
from kamreport.report.format import NOT_MEANINGFUL
from kamreport.report.labels import column_label, kpi_label, stage_label, t, value_label
from kamreport.report.sections.actions import recommended
from kamreport.report.sections.base import names, of_view
from kamreport.report.sections.pipeline import OPPORTUNITY_COLUMNS
from kamreport.report.sections.trends import kpi_trend
from kamreport.report.views import View, group_names

TREND = [
    "revenue",
    "revenue_target",
    "share_of_wallet",
    "frequency_attainment",
    "gross_margin",
    "fill_rate",
    "otif_rate",
]
DMU_ROLES = tuple(r for r in ROLES if r != "other")


PAIR_UNITS = {"item": "text", "value": "@unit"}  # an item / value table whose rows carry their unit


def _pairs(rows: list[tuple[str, object, str]]) -> pd.DataFrame:
    """(label, value, unit) rows as an item / value table with per-row units."""
    return pd.DataFrame(rows, columns=["item", "value", "unit"])


# --------------------------------------------------------------------------- profile


def is_group(view: View) -> bool:
    """A group plan (it lists its sites' targets)."""
    return view.level == "group"


def has_sites(view: View) -> bool:
    """A group plan, or an account that belongs to a group: the sites table is shown."""
    return view.level == "group" or bool(view.accounts["group_id"].notna().any())


def _group(view: View, row: pd.Series) -> str:
    """The account's group by name, or a word saying it has none (a blank cell reads as missing data)."""
    if pd.isna(row["group_id"]):
        return t("group.none", view.lang)
    return group_names(view.accounts).get(str(row["group_id"]), str(row["group_id"]))


def profile_rows(view: View) -> pd.DataFrame:
    """Who the customer is, one item a row (unit per row)."""
    return _pairs(_profile_rows(view))


def _profile_rows(view: View) -> list[tuple[str, object, str]]:
    lang = view.lang
    plan = view.accounts
    label = partial(column_label, lang=lang)
    if view.level == "group":
        return [
            (label("group_id"), view.name, "text"),
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
        (label("group_id"), _group(view, row), "text"),
        (label("region"), row["region"], "text"),
        (label("owner"), row["owner"], "text"),
        (label("segment"), row["segment"], "text"),
        (label("status"), row["status"], "label"),
        (
            label("tier"),
            t("tier_with_last", lang).format(tier=row["tier"], label=label("tier_pq"), last=row["tier_pq"]),
            "text",
        ),
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
        (label("relationship_stage"), row["relationship_stage"], "label"),
        (label("planning_level"), row["planning_level"], "label"),
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


def trend(view: View) -> pd.DataFrame:
    """The plan's KPIs over the trend quarters."""
    return kpi_trend(view, TREND)


def product_mix(view: View) -> pd.DataFrame:
    """Revenue of the quarter by business group and category, with each one's share, largest first."""
    mix = of_view(view.run.data.results.mix, view)
    other = value_label("other", view.lang)
    frame = mix.assign(business_group=mix["business_group"].fillna(other), category=mix["category"].fillna(other))
    frame = frame.sort_values(["revenue", "business_group", "category"], ascending=[False, True, True])
    return frame[["business_group", "category", "revenue", "share"]].reset_index(drop=True)


def divisions(view: View) -> pd.DataFrame:
    """Revenue of the quarter by selling division (cross-division sales), largest first."""
    rows = of_view(view.run.data.results.divisions, view)
    return rows.sort_values(["revenue", "division"], ascending=[False, True])[
        ["division", "revenue", "share"]
    ].reset_index(drop=True)


# --------------------------------------------------------------------------- relationship


def contacts_note(view: View, frame: pd.DataFrame) -> str | None:
    """A sentence when the account has no contacts."""
    return None if len(frame) else t("no_contacts", view.lang)


def visits_note(view: View, frame: pd.DataFrame) -> str | None:
    """A sentence when the account had no visit this quarter."""
    return None if len(frame[frame["period"] == str(view.period)]) else t("no_visits", view.lang)


def dmu(view: View) -> pd.DataFrame:
    """Contacts by role (procurement, user, design, management, other) with influence and strength."""
    contacts = view.rows(view.facts.contacts)
    order = {role: i for i, role in enumerate(ROLES)}
    frame = contacts.assign(_order=contacts["role"].map(order)).sort_values(
        ["_order", "strength"], ascending=[True, False]
    )
    if view.level == "group":  # which site each contact works at, by name
        frame = frame.assign(account_name=frame["account_id"].map(names(view)))
    columns = ["name", "role", "influence", "strength"] + (["account_name"] if view.level == "group" else [])
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
    frame["period"] = quarter_labels(frame["date"])
    columns = ["date", "period", "rep", "status", "successful", "contact_role", "notes"]
    return frame[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- opportunities


def _mine(view: View) -> pd.DataFrame:
    return view.rows(view.run.data.results.opportunities)


def open_opportunities(view: View) -> pd.DataFrame:
    """Open opportunities with their stage, value score and dimensions, latest stage and largest first."""
    lang = view.lang
    mine = _mine(view)
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
    return frame.reindex(columns=columns).reset_index(drop=True)


def open_note(view: View, frame: pd.DataFrame) -> str | None:
    """A sentence when the account has no open opportunity."""
    return None if len(frame) else t("no_opportunities", view.lang)


def closed_opportunities(view: View) -> pd.DataFrame:
    """Opportunities won and lost this quarter."""
    return _closed_this_quarter(_mine(view), view)


def _closed_this_quarter(opps: pd.DataFrame, view: View) -> pd.DataFrame:
    columns = ["opportunity_id", "status", "stage", "amount", "close_date", "competitor"]
    if opps.empty:
        return pd.DataFrame(columns=columns)
    close = pd.to_datetime(opps["close_date"])  # closed in the quarter reported (a missing date is not)
    inside = ((close.dt.year == view.period.year) & (close.dt.quarter == view.period.q)).to_numpy(dtype=bool)
    rows = opps[inside & opps["status"].isin(["won", "lost"])].sort_values("close_date")
    return rows[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- plan


def derivation(view: View) -> pd.DataFrame:
    """How next quarter's target was reached: revenue history, base, the formula, target, reconciliation.

    Columns ``item``, ``value`` (unit per row in ``unit``) and ``how`` (the formula applied).
    """
    lang = view.lang
    plan_rows = view.accounts
    targets = view.params.planning.targets
    w = targets.weights
    label = partial(column_label, lang=lang)
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
    reconciled = float(plan_rows["target_nq_reconciled"].sum())
    factors = plan_rows["reconcile_factor"].dropna()
    if len(factors) and float(plan_rows["target_nq"].sum()) > 0:
        factor = float(factors.iloc[0])
        rows.append(
            (label("target_nq_reconciled"), reconciled, "amount", t("formula.reconciled", lang).format(factor=factor))
        )
    elif len(factors):  # reconciled to a company target, the formula's target being zero
        rows.append((label("target_nq_reconciled"), reconciled, "amount", ""))
    # no company target asked for: the reconciled target is the formula's, not repeated
    return pd.DataFrame(rows, columns=["item", "value", "unit", "how"])


AGREEMENT_UNITS = {
    "item": "text",
    "committed": "@unit",
    "actual": "@unit",
    "progress": "share",
    "expected_ytd": "share",
    "attainment_ytd": "share",
    "expected": "@unit",
}
_AGREEMENT_LABELS = {  # agreement column → the KPI whose name the row shows
    "volume_target": "quantity",
    "revenue_target": "revenue",
    "spend_commitment": "trade_spend",
    "promotions_committed": "promotions",
    "displays_committed": "displays",
}


def agreement_rows(view: View) -> pd.DataFrame:
    """The view's agreement items, each named by its KPI, with ``expected`` = committed × the year gone by.

    From the run's results (:func:`kamreport.kpi.series.agreement`).
    """
    rows = of_view(view.run.data.results.agreement, view)
    items = [kpi_label(_AGREEMENT_LABELS[item], view.lang) for item in rows["item"]]
    return rows.assign(item=items, expected=rows["committed"] * rows["expected_ytd"])


def agreement(view: View) -> pd.DataFrame:
    """The year's agreement against what was done so far: volume, revenue, spend, promotions, displays."""
    columns = ["item", "committed", "actual", "progress", "expected_ytd", "attainment_ytd", "unit"]
    return agreement_rows(view)[columns]


RECEIVABLES = (
    "ar_open",
    "ar_not_due",
    "ar_aging_0_30",
    "ar_aging_31_60",
    "ar_aging_61_90",
    "ar_aging_over_90",
    "ar_overdue",
    "overdue_ratio",
    "dso_days",
)


def receivables(view: View) -> pd.DataFrame:
    """Open receivables at the quarter end by days past due, overdue share, DSO, against the credit limit."""
    k = view.kpis()
    lang = view.lang
    rows: list[tuple[str, object, str]] = [
        (
            kpi_label(kpi, lang),
            k[kpi] if is_meaningful(kpi, k, view.params.kpi) else NOT_MEANINGFUL,
            KPI_BY_ID[kpi].unit,
        )
        for kpi in RECEIVABLES
    ]
    rows += [
        (column_label("credit_limit", lang), view.accounts["credit_limit"].sum(min_count=1), "amount"),
        (kpi_label("credit_utilization", lang), k["credit_utilization"], "share"),
    ]
    return _pairs(rows)


def key_facts(view: View) -> pd.DataFrame:
    """The plan's first page beside the scorecard: who owns it, where we stand, next quarter's target."""
    lang = view.lang
    plan = view.accounts
    label = partial(column_label, lang=lang)
    rows: list[tuple[str, object, str]] = [
        (label("owner"), ", ".join(sorted(plan["owner"].astype(str).unique())), "text")
    ]
    if view.level == "account":
        row = plan.iloc[0]
        rows += [
            (label("region"), row["region"], "text"),
            (label("group_id"), _group(view, row), "text"),
            (label("tier"), row["tier"], "text"),
            (label("position"), row["position"], "label"),
            (label("planning_level"), row["planning_level"], "label"),
        ]
    else:
        rows += [
            (label("region"), ", ".join(sorted(plan["region"].astype(str).unique())), "text"),
            (label("sites"), len(plan), "count"),
        ]
    rows += [
        (label("revenue_t4q"), plan["revenue_t4q"].sum(), "amount"),
        (t("fact.target_nq", lang), plan["target_nq_reconciled"].sum(), "amount"),
        (kpi_label("credit_utilization", lang), view.kpis()["credit_utilization"], "share"),
    ]
    return _pairs(rows)


def action_sentences(view: View) -> pd.DataFrame:
    """The recommended actions in full sentences with the money at stake, most first (a group plan names each site).

    An account plan holds its account's and its opportunities' actions, a group plan also
    the group customer's own.
    """
    rows = recommended(view)
    texts = rows[view.lang].astype(str)
    if view.level == "group":
        line = t("action.line", view.lang)
        texts = pd.Series([line.format(name=n, action=a) for n, a in zip(rows["name"], texts, strict=True)])
    return pd.DataFrame({"action": texts.to_numpy(), "at_stake": rows["amount"].to_numpy(dtype="float64")})


def actions(view: View) -> pd.DataFrame:
    """The recommended actions of the view, with the rule that raised each and its scope (the analysts' appendix)."""
    rows = recommended(view)
    frame = pd.DataFrame(
        {
            "account_name": rows["name"],
            "rule": rows["rule"],
            "condition": rows["condition"],
            "action": rows[view.lang],
            "at_stake": rows["amount"].astype("float64"),
        }
    )
    if view.level == "account":
        frame = frame.drop(columns="account_name")
    return frame.reset_index(drop=True)


def credit_note(view: View, frame: pd.DataFrame) -> str | None:
    """A sentence when the open receivables exceed the credit limit (credit used over 100 %)."""
    used = view.kpis()["credit_utilization"]
    return t("note.credit", view.lang) if pd.notna(used) and used > 1 else None


def actions_note(view: View, frame: pd.DataFrame) -> str | None:
    """A sentence when no action rule applies."""
    return None if len(frame) else t("no_actions", view.lang)
