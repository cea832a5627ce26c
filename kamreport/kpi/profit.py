"""Profit and resource efficiency (KPI_DEFINITIONS §2.4).

Cost is summed over the lines whose cost is known; an account whose lines in P all lack a
cost has *missing* cost and gross profit, not zero (unknown cost is not free).
"""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext, ratio
from kamreport.params import KpiParams


def components(ctx: KpiContext) -> pd.DataFrame:
    """Cost, revenue with known cost and trade spend per account."""
    sales = ctx.facts.sales_month
    if ctx.facts.has("sales", "cost"):
        lines = ctx.by_account(sales, "lines")
        known = ctx.by_account(sales, "lines_cost_known")
        unknown = (lines > 0) & (known == 0)
        cost = ctx.by_account(sales, "cost").mask(unknown)
        revenue_known = ctx.by_account(sales, "revenue_cost_known").mask(unknown)
    else:
        cost = revenue_known = ctx.missing()
    spend = ctx.by_account(ctx.facts.spend_month, "amount") if ctx.facts.has("spend") else ctx.missing()
    return pd.DataFrame(
        {
            "cost": cost,
            "revenue_cost_known": revenue_known,
            "gross_profit": revenue_known - cost,
            "trade_spend": spend,
        }
    )


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The §2.4 ids from (summed) components; revenue and quantity come from sales."""
    contribution = c["gross_profit"] - c["trade_spend"]
    return {
        "cost": c["cost"],
        "gross_profit": c["gross_profit"],
        "gross_margin": ratio(c["gross_profit"], c["revenue_cost_known"]),
        "trade_spend": c["trade_spend"],
        "contribution": contribution,
        "contribution_margin": ratio(contribution, c["revenue"]),
        "spend_efficiency": 100 * ratio(c["revenue"], c["trade_spend"]),
        "volume_per_100_spend": 100 * ratio(c["quantity"], c["trade_spend"]),
    }
