"""Accounts, Positioning and Targets: the planning table seen from a region or the company."""

from __future__ import annotations

import pandas as pd

from kamreport.planning.positioning import POSITIONS, movement_matrix
from kamreport.report.labels import t, value_label
from kamreport.report.sections.base import Section, Table
from kamreport.report.views import View

ACCOUNT_COLUMNS = [
    "account_name",
    "owner",
    "group_id",
    "tier",
    "key_account",
    "position",
    "revenue",
    "revenue_target",
    "attainment",
    "growth_yoy",
    "share_of_wallet",
    "share_change_pp",
    "frequency_attainment",
    "gross_margin",
    "fill_rate",
    "pipeline_coverage",
    "target_nq_reconciled",
    "priority",
    "review",
]


def account_table(view: View) -> pd.DataFrame:
    """One row per account of the view: plan columns and the headline KPIs, largest revenue first."""
    plan = view.accounts
    kpis = view.account_kpis()
    frame = plan.drop(columns=[c for c in plan.columns if c in kpis.columns]).join(kpis)
    frame = frame.sort_values(["revenue", "revenue_t4q"], ascending=False)
    columns = ["region", *ACCOUNT_COLUMNS] if view.level == "company" else ACCOUNT_COLUMNS
    return frame[columns].rename_axis("account_id").reset_index()


def accounts(view: View) -> Section:
    """The Accounts sheet."""
    lang = view.lang
    table = Table("accounts", t("title.accounts", lang), account_table(view))
    return Section("accounts", t("title.accounts", lang), t("intro.accounts", lang), [table])


def movement(view: View) -> pd.DataFrame:
    """Accounts by position last quarter (rows) and now (columns), with labels."""
    matrix = movement_matrix(view.accounts["position_pq"], view.accounts["position"])
    frame = matrix.reset_index()
    frame["position_pq"] = [value_label(p, view.lang) for p in frame["position_pq"]]
    return frame.rename(columns={p: value_label(p, view.lang) for p in POSITIONS})


def movers(view: View) -> pd.DataFrame:
    """Accounts whose position changed since last quarter, largest first."""
    plan = view.accounts
    moved = plan[plan["position"].fillna("unknown") != plan["position_pq"].fillna("unknown")]
    columns = ["account_name", "owner", "position_pq", "position", "share_of_wallet", "share_change_pp", "revenue_t4q"]
    return moved.sort_values("revenue_t4q", ascending=False)[columns].rename_axis("account_id").reset_index()


def key_review(view: View) -> pd.DataFrame:
    """Key accounts added and dropped since last quarter."""
    plan = view.accounts
    changed = plan[plan["review"].isin(["added", "dropped"])]
    columns = ["account_name", "owner", "review", "tier", "tier_pq", "revenue_t4q", "potential_monthly"]
    return (
        changed.sort_values(["review", "revenue_t4q"], ascending=[True, False])[columns]
        .rename_axis("account_id")
        .reset_index()
    )


def positioning(view: View) -> Section:
    """The Positioning sheet: movement matrix, movers, key-account review."""
    lang = view.lang
    matrix_note = None if view.facts.has("demand") else t("absent", lang).format(table="demand")
    matrix = movement(view)
    tables = [
        Table(
            "movement",
            t("title.movement", lang),
            matrix,
            units={c: "count" for c in matrix.columns[1:]} | {"position_pq": "text"},
            note=matrix_note,
        ),
        Table("movers", t("title.movers", lang), movers(view)),
        Table("review", t("title.review", lang), key_review(view)),
    ]
    return Section("positioning", t("title.positioning", lang), t("intro.positioning", lang), tables)


def target_table(view: View) -> pd.DataFrame:
    """The decomposition of next quarter's target for each account."""
    plan = view.accounts
    columns = [
        "account_name",
        "position",
        "revenue",
        "revenue_pq",
        "revenue_p2",
        "base",
        "market_growth",
        "capture",
        "target_nq",
        "target_nq_reconciled",
    ]
    frame = plan[columns].sort_values("target_nq_reconciled", ascending=False)
    return frame.rename_axis("account_id").reset_index()


def targets_by_position(view: View) -> pd.DataFrame:
    """Accounts, revenue, base and targets summed by position."""
    plan = view.accounts
    grouped = plan.groupby("position", dropna=False)
    frame = pd.DataFrame(
        {
            "accounts": grouped.size(),
            "revenue": grouped["revenue"].sum(),
            "base": grouped["base"].sum(),
            "target_nq": grouped["target_nq"].sum(),
            "target_nq_reconciled": grouped["target_nq_reconciled"].sum(),
        }
    ).reindex([p for p in POSITIONS if p in set(plan["position"])])
    frame.loc["total"] = frame.sum()
    frame = frame.rename_axis("position").reset_index()
    frame["position"] = frame["position"].map(
        lambda p: t("total", view.lang) if p == "total" else value_label(p, view.lang)
    )
    return frame


def targets(view: View) -> Section:
    """The Targets sheet."""
    lang = view.lang
    tables = [
        Table(
            "targets_by_position",
            t("title.targets_by_position", lang),
            targets_by_position(view),
            units={"position": "text"},
        ),
        Table("targets", t("title.targets", lang), target_table(view), units={"revenue_pq": "amount"}),
    ]
    return Section("targets", t("title.targets", lang), t("intro.targets", lang), tables)
