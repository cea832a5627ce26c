"""Execution (docs/kpis.md, "Execution"): visits against the tier policy.

Frequency is capped per account — ten visits to one customer do not make up for none to
another — and closed accounts need no visits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.kpi.base import KpiContext, ratio
from kamreport.params import KpiParams

_COUNTS = ("planned", "completed", "planned_completed", "successful", "success_known", "promotions", "displays")


def components(ctx: KpiContext) -> pd.DataFrame:
    """Visit counts, required visits and coverage counts per account."""
    names = [f"visits_{n}" if n in ("planned", "completed") else n for n in _COUNTS]
    names += ["visits_required", "completed_capped", "active_accounts", "active_visited"]
    if not ctx.facts.has("visits"):
        return pd.DataFrame({n: ctx.missing() for n in names})
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
            "promotions": counts["promotions"],
            "displays": counts["displays"],
            "visits_required": required,
            "completed_capped": np.minimum(completed, required),
            "active_accounts": active,
            "active_visited": active * (completed > 0),
        }
    )


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
    "promotions": "Σ `visits.promotions` on completed visits in P",
    "displays": "Σ `visits.displays` on completed visits in P",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The execution ids from (summed) components."""
    return {
        "visits_planned": c["visits_planned"],
        "visits_completed": c["visits_completed"],
        "visit_compliance": ratio(c["planned_completed"], c["visits_planned"]),
        "visits_required": c["visits_required"],
        "frequency_attainment": ratio(c["completed_capped"], c["visits_required"]),
        "coverage": ratio(c["active_visited"], c["active_accounts"]),
        "visit_success_rate": ratio(c["successful"], c["success_known"]),
        "promotions": c["promotions"],
        "displays": c["displays"],
    }
