"""Accounts, Positioning and Targets: the planning table seen from a region or the company."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.planning.exceptions import material
from kamreport.planning.positioning import POSITIONS, movement_matrix
from kamreport.report.labels import t, value_label
from kamreport.report.sections.base import FIVE_INDICATORS, not_meaningful
from kamreport.report.views import View

ACCOUNT_COLUMNS = [
    "account_name",
    "owner",
    "group_name",
    "tier",
    "key_account",
    "position",
    *FIVE_INDICATORS,
    "pipeline_coverage",
    "target_nq_reconciled",
    "priority",
    "review",
    "relationship_stage",
    "planning_level",
]


def account_table(view: View) -> pd.DataFrame:
    """One row per account of the view: plan columns and the headline KPIs, largest revenue first.

    The company report lists its key accounts (each region's report lists all of its
    accounts); the attack priority is ranked within the report's scope (``priority`` in a
    region, ``priority_company`` in the company).  A ratio over a small base is not meaningful.
    """
    plan = view.accounts
    if view.level == "company":
        # the company lists its key accounts, ranked for attack across the company
        plan = plan[plan["key_account"].astype(bool)].assign(priority=plan["priority_company"])
    kpis = view.account_kpis().reindex(plan.index)
    frame = plan.drop(columns=[c for c in plan.columns if c in kpis.columns]).join(kpis)
    frame = frame.sort_values(["revenue", "revenue_t4q"], ascending=False)
    groups = frame["group_name"] if "group_name" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["group_name"] = groups.astype("string").fillna(frame["group_id"].astype("string"))
    columns = ["region", *ACCOUNT_COLUMNS] if view.level == "company" else ACCOUNT_COLUMNS
    shown = frame[columns].rename_axis("account_id").reset_index()
    return not_meaningful(shown, frame[list(kpis.columns)], view.params)


MOVEMENT_UNITS = {"position_pq": "label"} | {p: "count" for p in POSITIONS}


def movement(view: View) -> pd.DataFrame:
    """Accounts by position last quarter (rows) and now (one column per position)."""
    return movement_matrix(view.accounts["position_pq"], view.accounts["position"]).reset_index()


def movement_note(view: View, _frame: pd.DataFrame) -> str | None:
    """Without the demand table no share of wallet is known: every account's position is unknown."""
    return None if view.facts.has("demand") else t("absent", view.lang).format(table="demand")


def movers(view: View) -> pd.DataFrame:
    """Material accounts whose position changed since last quarter, largest value of their share change first.

    Share last quarter → now and its change in points compare the same two quarters as the
    positions; the value of the change is the points × the customer's demand
    (``share_change_qoq_value``).  Accounts below ``report.materiality`` of the view's
    revenue are left out.
    """
    plan = view.accounts
    moved = plan[plan["position"].fillna("unknown") != plan["position_pq"].fillna("unknown")]
    kpis = view.account_kpis().reindex(moved.index)
    scope = float(view.kpis().get("revenue", np.nan))
    moved = moved[material(kpis["revenue"], kpis["revenue_py"], scope, view.params.report.materiality)]
    moved = moved.assign(_stake=moved["share_change_qoq_value"].abs()).sort_values(
        ["_stake", "revenue"], ascending=False, na_position="last"
    )
    who = ["account_name", "region", "owner"] if view.level == "company" else ["account_name", "owner"]
    columns = [
        *who,
        "position_pq",
        "position",
        "share_of_wallet_pq",
        "share_of_wallet",
        "share_change_qoq_pp",
        "share_change_qoq_value",
        "revenue",
    ]
    frame = moved[columns].rename_axis("account_id").reset_index()
    return not_meaningful(frame, view.account_kpis().reindex(frame["account_id"]), view.params)


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
    return reconciled_only_when_asked(frame.rename_axis("account_id").reset_index(), view)


def reconciled_only_when_asked(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """``frame`` without the reconciled target when no company target was asked for (it equals the formula's)."""
    if view.run.accounts["reconcile_factor"].notna().any():
        return frame
    return frame.drop(columns="target_nq_reconciled")


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
    return reconciled_only_when_asked(frame, view)
