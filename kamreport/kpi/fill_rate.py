"""Order fill rate (docs/kpis.md, "Order fill rate"): quantity filled over ordered, and on-time-in-full lines.

Over-delivery does not make up for a short line: each line counts at most what was ordered.
"""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext, ratio
from kamreport.params import KpiParams

_COMPONENTS = ("qty_ordered", "qty_filled", "lines", "lines_requested", "lines_otif")


def components(ctx: KpiContext) -> pd.DataFrame:
    """Ordered and filled quantity and OTIF line counts per account."""
    orders = ctx.facts.orders_month
    frame = {n: ctx.by_account(orders, n) if ctx.facts.has("orders") else ctx.missing() for n in _COMPONENTS}
    frame["order_lines"] = frame.pop("lines")
    return pd.DataFrame(frame)


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "qty_ordered": "Σ `orders.qty_ordered` of the order lines with `order_date` in P",
    "fill_rate": "Σ min(`qty_delivered`, `qty_ordered`) / Σ `qty_ordered`",
    "otif_rate": "lines with `qty_delivered` ≥ `qty_ordered` and `delivered_date` ≤ `requested_date` / "
    "lines with a `requested_date`",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The fill-rate ids from (summed) components."""
    return {
        "qty_ordered": c["qty_ordered"],
        "fill_rate": ratio(c["qty_filled"], c["qty_ordered"]),
        "otif_rate": ratio(c["lines_otif"], c["lines_requested"]),
    }
