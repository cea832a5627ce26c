"""Accounts, Positioning and Targets: the planning table seen from a region or the company."""

from __future__ import annotations

import pandas as pd

from kamreport.planning.positioning import POSITIONS, movement_matrix
from kamreport.report.labels import t, value_label
from kamreport.report.views import View

ACCOUNT_COLUMNS = [
    "account_name",
    "owner",
    "group_name",
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
    "relationship_stage",
    "planning_level",
]


def account_table(view: View) -> pd.DataFrame:
    """One row per account of the view: plan columns and the headline KPIs, largest revenue first.

    The company report lists its key accounts (each region's report lists all of its accounts).
    """
    plan = view.accounts
    if view.level == "company":
        plan = plan[plan["key_account"].astype(bool)]
    kpis = view.account_kpis().reindex(plan.index)
    frame = plan.drop(columns=[c for c in plan.columns if c in kpis.columns]).join(kpis)
    frame = frame.sort_values(["revenue", "revenue_t4q"], ascending=False)
    groups = frame["group_name"] if "group_name" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["group_name"] = groups.astype("string").fillna(frame["group_id"].astype("string"))
    columns = ["region", *ACCOUNT_COLUMNS] if view.level == "company" else ACCOUNT_COLUMNS
    return frame[columns].rename_axis("account_id").reset_index()


MOVEMENT_UNITS = {"position_pq": "label"} | {p: "count" for p in POSITIONS}


def movement(view: View) -> pd.DataFrame:
    """Accounts by position last quarter (rows) and now (one column per position)."""
    return movement_matrix(view.accounts["position_pq"], view.accounts["position"]).reset_index()


def movement_note(view: View, _frame: pd.DataFrame) -> str | None:
    """Without the demand table no share of wallet is known: every account's position is unknown."""
    return None if view.facts.has("demand") else t("absent", view.lang).format(table="demand")


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


def target_table(view: View) -> pd.DataFrame:
    """The decomposition of next quarter's target for each account of a plan, each key account of a report.

    A region or company report lists its key accounts (the others' targets are in the
    Accounts table and in the totals by position).
    """
    plan = view.accounts
    if view.level in ("region", "company"):
        plan = plan[plan["key_account"].astype(bool)]
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


def accounts_note(view: View, _frame: pd.DataFrame) -> str | None:
    """Which accounts the company's list holds."""
    return t("note.accounts_key", view.lang) if view.level == "company" else None


def targets_note(view: View, _frame: pd.DataFrame) -> str | None:
    """Which accounts a report's target table lists."""
    return t("note.targets_key", view.lang) if view.level in ("region", "company") else None


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
