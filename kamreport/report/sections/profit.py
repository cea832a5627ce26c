"""Profit: the bridge from revenue to contribution and the accounts behind it."""

from __future__ import annotations

import pandas as pd

from kamreport.report.labels import t
from kamreport.report.sections.base import not_meaningful, of_view, with_names
from kamreport.report.views import View

PROFIT_COLUMNS = [
    "revenue",
    "gross_profit",
    "gross_margin",
    "trade_spend",
    "contribution",
    "contribution_margin",
    "spend_efficiency",
    "volume_per_100_spend",
]


def bridge(view: View) -> pd.DataFrame:
    """Revenue → (revenue without cost) → cost → gross profit → trade spend → contribution.

    Steps are signed so that each subtotal is the sum of the steps above it; ``kind`` says
    which rows are totals (for the bridge charts).  From the run's results
    (:func:`kamreport.kpi.series.bridge`).
    """
    steps = of_view(view.run.data.results.bridge, view)
    return pd.DataFrame(
        {
            "step": [t(f"bridge.{step}", view.lang) for step in steps["step"]],
            "value": steps["value"].astype("float64"),
            "kind": steps["kind"],
        }
    )


def by_account(view: View, n: int = 50) -> pd.DataFrame:
    """The view's accounts by contribution (gross profit where spend is absent); small bases not meaningful."""
    kpis = view.account_kpis()
    order = "contribution" if kpis["contribution"].notna().any() else "gross_profit"
    rows = kpis.sort_values(order, ascending=False).head(n)
    frame = with_names(rows[PROFIT_COLUMNS].rename_axis("account_id").reset_index(), view)
    return not_meaningful(frame, rows, view.params)
