"""Profit and resource efficiency (docs/kpis.md, "Profit and resource efficiency").

Cost is summed over the lines whose cost is known; an account whose lines in P all lack a
cost has *missing* cost and gross profit, not zero (unknown cost is not free).  Trade spend
is split by the spend table's ``spend_type``.
"""

from __future__ import annotations

import pandas as pd

from kamreport.contract import SPEND_TYPES
from kamreport.kpi.base import KpiContext, ratio, target_components, target_value
from kamreport.params import KpiParams

SPEND_BY_TYPE: dict[str, str] = {f"spend_{kind}": kind for kind in SPEND_TYPES}


def components(ctx: KpiContext) -> pd.DataFrame:
    """Cost, revenue with known cost and trade spend (in total and by type) per account."""
    sales = ctx.facts.sales_month
    if ctx.facts.has("sales", "cost"):
        lines = ctx.by_account(sales, "lines")
        known = ctx.by_account(sales, "lines_cost_known")
        unknown = (lines > 0) & (known == 0)
        cost = ctx.by_account(sales, "cost").mask(unknown)
        revenue_known = ctx.by_account(sales, "revenue_cost_known").mask(unknown)
    else:
        cost = revenue_known = ctx.missing()
    frame = {
        "cost": cost,
        "revenue_cost_known": revenue_known,
        "gross_profit": revenue_known - cost,
        **target_components("gross_margin", ctx.kpi_target("gross_margin"), revenue_known),
    }
    if ctx.facts.has("spend"):
        spend = ctx.facts.spend_month
        by_type = spend.assign(
            **{c: spend["amount"].where(spend["spend_type"] == k, 0.0) for c, k in SPEND_BY_TYPE.items()}
        )
        frame["trade_spend"] = ctx.by_account(spend, "amount")
        frame.update({column: ctx.by_account(by_type, column) for column in SPEND_BY_TYPE})
    else:
        frame.update({column: ctx.missing() for column in ("trade_spend", *SPEND_BY_TYPE)})
    return pd.DataFrame(frame)


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "cost": "Σ `sales.cost` in P over the lines whose cost is known; "
    "missing for an account all of whose lines in P lack a cost, and without a cost column",
    "gross_profit": "Σ (`revenue` − `cost`) over the lines whose cost is known",
    "gross_margin": "`gross_profit` / Σ `revenue` of the lines whose cost is known",
    "gross_margin_target": "Σ target(a) × revenue with known cost(a) / Σ revenue with known cost(a) over the "
    "accounts with a target (`targets.gross_margin_target`, else `kpi.targets.gross_margin`)",
    "trade_spend": "Σ `spend.amount` dated in P (every spend type); missing without a spend table",
    "spend_fixed_fee": "Σ `spend.amount` dated in P with `spend_type` = fixed_fee",
    "spend_promotion": "Σ `spend.amount` dated in P with `spend_type` = promotion",
    "spend_display": "Σ `spend.amount` dated in P with `spend_type` = display",
    "spend_rebate": "Σ `spend.amount` dated in P with `spend_type` = rebate",
    "spend_other": "Σ `spend.amount` dated in P with `spend_type` = other",
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
        "gross_margin_target": target_value(c, "gross_margin"),
        "trade_spend": c["trade_spend"],
        **{column: c[column] for column in SPEND_BY_TYPE},
        "contribution": contribution,
        "contribution_margin": ratio(contribution, c["revenue"]),
        "spend_efficiency": 100 * ratio(c["revenue"], c["trade_spend"]),
        "volume_per_100_spend": 100 * ratio(c["quantity"], c["trade_spend"]),
    }
