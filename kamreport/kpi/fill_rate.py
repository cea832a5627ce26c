"""Order fill rate (docs/kpis.md, "Order fill rate"): quantity filled over ordered, and on-time-in-full lines.

Over-delivery does not make up for a short line: each line counts at most what was ordered.
What was not filled is valued at the account's own average unit price of the quarter
(its revenue / its quantity sold), so that misses can be ranked by money.
"""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext, ratio, target_components, target_value
from kamreport.params import KpiParams

_COMPONENTS = ("qty_ordered", "qty_filled", "lines", "lines_requested", "lines_otif")


def components(ctx: KpiContext) -> pd.DataFrame:
    """Ordered, filled and unfilled quantity, its value, and OTIF line counts per account."""
    orders = ctx.facts.orders_month
    frame = {n: ctx.by_account(orders, n) if ctx.facts.has("orders") else ctx.missing() for n in _COMPONENTS}
    frame["order_lines"] = frame.pop("lines")
    frame["qty_unfilled"] = frame["qty_ordered"] - frame["qty_filled"]
    revenue = ctx.by_account(ctx.facts.sales_month, "revenue")
    quantity = ctx.by_account(ctx.facts.sales_month, "quantity") if ctx.facts.has("sales", "quantity") else None
    if quantity is None:
        frame["unfilled_value"] = ctx.missing()
    else:
        price = ratio(revenue, quantity).where((revenue > 0) & (quantity > 0))
        # an account that missed nothing has missed nothing, priced or not
        frame["unfilled_value"] = (frame["qty_unfilled"] * price).mask(frame["qty_unfilled"] == 0, 0.0)
    frame.update(target_components("fill_rate", ctx.kpi_target("fill_rate"), frame["qty_ordered"]))
    return pd.DataFrame(frame)


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "qty_ordered": "Σ `orders.qty_ordered` of the order lines with `order_date` in P",
    "qty_unfilled": "Σ (`qty_ordered` − min(`qty_delivered`, `qty_ordered`))",
    "unfilled_value": "Σ_a `qty_unfilled`(a) × `unit_price`(a): each account's miss at its own average price "
    "of P (0 where nothing was missed; an account with a miss but no price is left out)",
    "fill_rate": "Σ min(`qty_delivered`, `qty_ordered`) / Σ `qty_ordered`",
    "fill_rate_target": "Σ target(a) × qty_ordered(a) / Σ qty_ordered(a) over the accounts with a target "
    "(`targets.fill_rate_target`, else `kpi.targets.fill_rate`)",
    "otif_rate": "lines with `qty_delivered` ≥ `qty_ordered` and `delivered_date` ≤ `requested_date` / "
    "lines with a `requested_date`",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The fill-rate ids from (summed) components."""
    return {
        "qty_ordered": c["qty_ordered"],
        "qty_unfilled": c["qty_unfilled"],
        "unfilled_value": c["unfilled_value"],
        "fill_rate": ratio(c["qty_filled"], c["qty_ordered"]),
        "fill_rate_target": target_value(c, "fill_rate"),
        "otif_rate": ratio(c["lines_otif"], c["lines_requested"]),
    }
