"""Execution (docs/kpis.md, "Execution"): visits against the tier policy, and key accounts per manager.

Frequency is capped per account — ten visits to one customer do not make up for none to
another — and closed accounts need no visits.  Promotions are counted from the spend
records (:mod:`kamreport.kpi.supporting`), displays from the visits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.kpi.base import INDEX, KpiContext, ratio, target_components, target_value
from kamreport.params import KpiParams

_COUNTS = ("planned", "completed", "planned_completed", "successful", "success_known", "displays")


def components(ctx: KpiContext) -> pd.DataFrame:
    """Visit counts, required visits, coverage counts and key accounts per account."""
    key = ctx.key_accounts.reindex(ctx.index).astype("float64") if ctx.key_accounts is not None else ctx.missing()
    names = [f"visits_{n}" if n in ("planned", "completed") else n for n in _COUNTS]
    names += ["visits_required", "completed_capped", "active_accounts", "active_visited"]
    if not ctx.facts.has("visits"):
        empty = {n: ctx.missing() for n in names}
        return pd.DataFrame(
            {**empty, "key_accounts": key, **target_components("frequency_attainment", ctx.missing(), ctx.missing())}
        )
    visits = ctx.facts.visits
    counts = {n: ctx.by_account(visits, n) for n in _COUNTS}
    status = ctx.accounts.set_index("account_id")["status"]
    active = ctx.per_account(~status.eq("closed").fillna(False).astype(bool)).astype("float64")
    if ctx.required_visits is not None:
        required = ctx.required_visits.reindex(ctx.index).fillna(0.0).astype("float64")
    else:
        required = ctx.missing()
    required = required * active
    completed = counts["completed"]
    return pd.DataFrame(
        {
            "visits_planned": counts["planned"],
            "visits_completed": completed,
            "planned_completed": counts["planned_completed"],
            "successful": counts["successful"],
            "success_known": counts["success_known"],
            "displays": counts["displays"],
            "visits_required": required,
            "completed_capped": np.minimum(completed, required),
            "active_accounts": active,
            "active_visited": active * (completed > 0),
            "key_accounts": key,
            **target_components("frequency_attainment", ctx.kpi_target("frequency_attainment"), required),
        }
    )


def account_managers(ctx: KpiContext, keys: pd.Series) -> pd.Series:
    """Distinct owners of each key's accounts (``keys``: account_id → key), the same in every quarter.

    A count of distinct people cannot be summed from accounts: an owner of two accounts of a
    region is one manager there.
    """
    owners = ctx.accounts.set_index("account_id")["owner"].astype("string").reindex(keys.index)
    per_key = owners.groupby(keys.to_numpy()).nunique().astype("float64")
    periods = [str(q) for q in ctx.quarters]
    index = pd.MultiIndex.from_product([periods, per_key.index], names=[INDEX[0], "key"])
    return pd.Series(np.tile(per_key.to_numpy(), len(periods)), index=index, name="account_managers")


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "visits_planned": "count of visits in P with `planned` = true",
    "visits_completed": "count of visits in P with `status` = completed",
    "visit_compliance": "count of visits both planned and completed / `visits_planned`",
    "visits_required": "Σ_a required(a): by the account's tier in that quarter, "
    "A {kpi.visits_required.A}, B {kpi.visits_required.B}, C {kpi.visits_required.C}; 0 for a closed account",
    "frequency_attainment": "Σ_a min(completed(a), required(a)) / Σ_a required(a)",
    "coverage": "active accounts with at least one completed visit in P / active accounts",
    "visit_success_rate": "completed visits with `successful` = true / completed visits whose `successful` is recorded",
    "frequency_attainment_target": "Σ_a target(a) × required(a) / Σ_a required(a) over the accounts with a "
    "target: `targets.frequency_attainment_target`, else `kpi.targets.frequency_attainment`",
    "displays": "Σ `visits.displays` on completed visits in P",
    "key_accounts": "count of the level's key accounts in the quarter (tier A or B, or potential ≥ "
    "{planning.key_account.min_potential_monthly} a month; never a closed account)",
    "account_managers": "count of distinct `accounts.owner` of the level's accounts (taken per key, not summed)",
    "key_accounts_per_owner": "`key_accounts` / `account_managers`; against `planning.kam_capacity` "
    "({planning.kam_capacity})",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The execution ids from (summed) components (``account_managers`` is taken per key: :func:`account_managers`)."""
    managers = c["account_managers"] if "account_managers" in c else pd.Series(np.nan, index=c.index)
    return {
        "visits_planned": c["visits_planned"],
        "visits_completed": c["visits_completed"],
        "visit_compliance": ratio(c["planned_completed"], c["visits_planned"]),
        "visits_required": c["visits_required"],
        "frequency_attainment": ratio(c["completed_capped"], c["visits_required"]),
        "frequency_attainment_target": target_value(c, "frequency_attainment"),
        "coverage": ratio(c["active_visited"], c["active_accounts"]),
        "visit_success_rate": ratio(c["successful"], c["success_known"]),
        "displays": c["displays"],
        "key_accounts": c["key_accounts"],
        "account_managers": managers,
        "key_accounts_per_owner": ratio(c["key_accounts"], managers),
    }
