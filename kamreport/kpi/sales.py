"""Sales (KPI_DEFINITIONS §2.1): revenue, targets, PQ / PY growth, high-margin mix, average unit price."""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext, growth, ratio
from kamreport.params import KpiParams


def components(ctx: KpiContext) -> pd.DataFrame:
    """Revenue of the quarter, its PQ and PY, quantity, target and high-margin revenue per account."""
    facts = ctx.facts
    sales = facts.sales_month
    return pd.DataFrame(
        {
            "revenue": ctx.by_account(sales, "revenue"),
            "quantity": ctx.by_account(sales, "quantity") if facts.has("sales", "quantity") else ctx.missing(),
            "revenue_target": ctx.by_account(facts.targets, "revenue_target", fill=None),
            "revenue_pq": ctx.by_account(sales, "revenue", -1),
            "revenue_py": ctx.by_account(sales, "revenue", -4),
            "high_margin_revenue": (
                ctx.by_account(sales, "high_margin_revenue")
                if facts.has("products", "high_margin") and facts.has("sales", "product_code")
                else ctx.missing()
            ),
        }
    )


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The §2.1 ids from (summed) components."""
    return {
        "revenue": c["revenue"],
        "quantity": c["quantity"],
        "unit_price": ratio(c["revenue"], c["quantity"]),
        "revenue_target": c["revenue_target"],
        "attainment": ratio(c["revenue"], c["revenue_target"]),
        "revenue_pq": c["revenue_pq"],
        "growth_qoq": growth(c["revenue"], c["revenue_pq"]),
        "revenue_py": c["revenue_py"],
        "growth_yoy": growth(c["revenue"], c["revenue_py"]),
        "high_margin_revenue": c["high_margin_revenue"],
        "high_margin_mix": ratio(c["high_margin_revenue"], c["revenue"]),
    }
