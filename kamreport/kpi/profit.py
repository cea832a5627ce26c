"""Profit and resource efficiency (docs/kpis.md, "Profit and resource efficiency").

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


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "cost": "Σ `sales.cost` in P over the lines whose cost is known; "
    "missing for an account all of whose lines in P lack a cost, and without a cost column",
    "gross_profit": "Σ (`revenue` − `cost`) over the lines whose cost is known",
    "gross_margin": "`gross_profit` / Σ `revenue` of the lines whose cost is known",
    "trade_spend": "Σ `spend.amount` dated in P (every spend type); missing without a spend table",
    "contribution": "`gross_profit` − `trade_spend`",
    "contribution_margin": "`contribution` / `revenue`",
    "spend_efficiency": "100 × `revenue` / `trade_spend` (revenue per 100 of spend)",
    "volume_per_100_spend": "100 × `quantity` / `trade_spend`",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The profit ids from (summed) components; revenue and quantity come from sales."""
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
