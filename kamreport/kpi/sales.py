"""Sales (docs/kpis.md, "Sales"): revenue, targets, PQ / PY growth, high-margin mix, average unit price."""

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


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "revenue": "Σ `sales.revenue` dated in P; returns and credit notes are negative lines and reduce it",
    "quantity": "Σ `sales.quantity` in P; missing when the sales table has no quantity column",
    "revenue_target": "Σ `targets.revenue_target` for P (a month's targets count in its quarter); "
    "missing for an account without targets for P",
    "attainment": "`revenue` / `revenue_target` (at a level: Σ revenue of all its accounts / Σ of the targets given)",
    "revenue_pq": "`revenue` in PQ",
    "growth_qoq": "`revenue` / `revenue_pq` − 1; missing when `revenue_pq` ≤ 0",
    "revenue_py": "`revenue` in PY",
    "growth_yoy": "`revenue` / `revenue_py` − 1; missing when `revenue_py` ≤ 0",
    "high_margin_revenue": "Σ `sales.revenue` in P of lines whose product has `products.high_margin` = true; "
    "missing without a products table with `high_margin` or without `sales.product_code`",
    "high_margin_mix": "`high_margin_revenue` / `revenue`",
    "unit_price": "`revenue` / `quantity` (the average price of a unit sold in P)",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The sales ids from (summed) components."""
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
