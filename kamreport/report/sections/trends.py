"""Time series behind the trend charts: revenue against target by month, KPIs by quarter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.periods import quarter_of_month
from kamreport.report.sections.base import quarter_months
from kamreport.report.views import View


def revenue_by_month(view: View, quarters: int = 4) -> pd.DataFrame:
    """Revenue and target per month of the last ``quarters`` quarters.

    A month's target is its monthly target where the targets table has one, else a third of
    its quarter's target (missing where there is no target at all).
    """
    months = quarter_months(view, quarters)
    sales = view.rows(view.facts.sales_month)
    revenue = sales[sales["month"].isin(months)].groupby("month")["revenue"].sum().reindex(months).fillna(0.0)
    target = pd.Series(np.nan, index=months)
    targets = view.rows(view.facts.targets)
    if not targets.empty:
        monthly = targets[targets["month"].notna()].groupby("month")["revenue_target"].sum()
        quarterly = targets[targets["month"].isna()].groupby("quarter")["revenue_target"].sum()
        for month in months:
            parts = [monthly.get(month, np.nan), quarterly.get(quarter_of_month(month), np.nan) / 3]
            if not all(np.isnan(parts)):
                target[month] = np.nansum(parts)
    return pd.DataFrame({"month": months, "revenue": revenue.to_numpy(), "revenue_target": target.to_numpy()})


def kpi_trend(view: View, kpis: list[str]) -> pd.DataFrame:
    """``kpis`` of this view by quarter, oldest first (period column plus one column per KPI)."""
    return view.trend(kpis).rename_axis("period").reset_index()
