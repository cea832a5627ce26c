"""Time series of a view: its months (revenue, orders, weeks) and its KPIs by quarter."""

from __future__ import annotations

import pandas as pd

from kamreport.report.sections.base import of_view
from kamreport.report.views import View


def months(view: View) -> pd.DataFrame:
    """The view's rows of the run's monthly series (the last four quarters, oldest month first)."""
    return of_view(view.run.data.results.monthly, view).sort_values("month", ignore_index=True)


def revenue_by_month(view: View) -> pd.DataFrame:
    """Revenue and target per month of the last four quarters (target missing where there is none)."""
    frame = months(view)[["month", "revenue", "revenue_target"]]
    return frame.assign(revenue=frame["revenue"].fillna(0.0))


def kpi_trend(view: View, kpis: list[str]) -> pd.DataFrame:
    """``kpis`` of this view by quarter, oldest first (period column plus one column per KPI)."""
    return view.trend(kpis).rename_axis("period").reset_index()
