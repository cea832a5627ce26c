"""Share of wallet (docs/kpis.md, "Share of wallet"): our revenue over the customer's total demand.

Only accounts with demand count in a group's share (the set ``D``); growth compares the
accounts with demand in both P and PY (the set ``E``).  The share a quarter before (PQ) is
the same formula one quarter back, so a position's movement since last quarter is read
against the share's movement over the same quarter.
"""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext, growth, only_where, ratio, target_components, target_value
from kamreport.params import KpiParams


def components(ctx: KpiContext) -> pd.DataFrame:
    """Demand and the revenue of accounts with demand, in the quarter, its PQ, its PY and both P and PY."""
    demand_p = ctx.by_account(ctx.facts.demand, "demand", fill=None)
    demand_pq = ctx.by_account(ctx.facts.demand, "demand", -1, fill=None)
    demand_py = ctx.by_account(ctx.facts.demand, "demand", -4, fill=None)
    revenue_p = ctx.by_account(ctx.facts.sales_month, "revenue")
    revenue_pq = ctx.by_account(ctx.facts.sales_month, "revenue", -1)
    revenue_py = ctx.by_account(ctx.facts.sales_month, "revenue", -4)
    both = demand_p.notna() & demand_py.notna()
    return pd.DataFrame(
        {
            "demand": demand_p,
            "revenue_d": only_where(revenue_p, demand_p),
            "demand_pq": demand_pq,
            "revenue_d_pq": only_where(revenue_pq, demand_pq),
            "demand_py": demand_py,
            "revenue_d_py": only_where(revenue_py, demand_py),
            "demand_e": demand_p.where(both),
            "demand_e_py": demand_py.where(both),
            "revenue_e": revenue_p.where(both),
            "revenue_e_py": revenue_py.where(both),
            **target_components("share_of_wallet", ctx.kpi_target("share_of_wallet"), demand_p),
        }
    )


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "demand": "Σ `demand.total_demand` for P over D (missing when no account of the level has demand for P)",
    "share_of_wallet": "Σ_D `revenue` / Σ_D `demand`",
    "share_of_wallet_target": "Σ target(a) × demand(a) / Σ demand(a) over the accounts of D with a target: "
    "`targets.share_of_wallet_target` for P (the mean of its rows), else the region's then the company's "
    "`kpi.targets.share_of_wallet`",
    "share_of_wallet_pq": "the same for PQ, over the accounts with demand for PQ",
    "share_change_qoq_pp": "100 × (`share_of_wallet` − `share_of_wallet_pq`): the quarter over which "
    "`position_pq` moved to `position`",
    "share_of_wallet_py": "the same for PY, over the accounts with demand for PY",
    "share_change_pp": "100 × (`share_of_wallet` − `share_of_wallet_py`)",
    "demand_growth_yoy": "Σ_E demand(P) / Σ_E demand(PY) − 1",
    "growth_gap_pp": "100 × ((Σ_E revenue(P) / Σ_E revenue(PY) − 1) − `demand_growth_yoy`); "
    "negative: the customers grew faster than our sales to them — share lost",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The share-of-wallet ids from (summed) components."""
    share = ratio(c["revenue_d"], c["demand"])
    share_pq = ratio(c["revenue_d_pq"], c["demand_pq"])
    share_py = ratio(c["revenue_d_py"], c["demand_py"])
    demand_growth = growth(c["demand_e"], c["demand_e_py"])
    return {
        "demand": c["demand"],
        "share_of_wallet": share,
        "share_of_wallet_target": target_value(c, "share_of_wallet"),
        "share_of_wallet_pq": share_pq,
        "share_change_qoq_pp": 100 * (share - share_pq),
        "share_of_wallet_py": share_py,
        "share_change_pp": 100 * (share - share_py),
        "demand_growth_yoy": demand_growth,
        "growth_gap_pp": 100 * (growth(c["revenue_e"], c["revenue_e_py"]) - demand_growth),
    }
