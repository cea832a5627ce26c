"""Indicators: every KPI of the view by family, the five indicators' quarterly trend, receivables by age.

Every figure is the view's row of the run's KPI table (``kpis.csv``) for the quarter, the
quarter before and the same quarter a year ago; these functions select, order and label.
"""

from __future__ import annotations

import pandas as pd

from kamreport.registry import KPI_BY_ID, is_meaningful
from kamreport.report.format import NOT_MEANINGFUL
from kamreport.report.labels import indicator_label, kpi_label, t
from kamreport.report.sections.base import FIVE_INDICATORS, not_meaningful, rag
from kamreport.report.views import View

# (indicator, its KPI ids) in the order a manager reads them; two tables side by side
FAMILIES_LEFT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sales", ("revenue", "attainment", "growth_qoq", "growth_yoy", "high_margin_revenue", "high_margin_mix")),
    ("share", ("share_of_wallet", "share_change_pp", "demand_growth_yoy", "growth_gap_pp")),
    (
        "execution",
        (
            "frequency_attainment",
            "coverage",
            "visit_success_rate",
            "promotions",
            "promo_lead_days_median",
            "promo_on_time_share",
            "displays",
        ),
    ),
    ("fill_rate", ("fill_rate", "otif_rate", "unfilled_value")),
)
FAMILIES_RIGHT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "profit",
        (
            "gross_margin",
            "contribution_margin",
            "spend_efficiency",
            "volume_per_100_spend",
            "trade_spend",
            "spend_fixed_fee",
            "spend_promotion",
            "spend_display",
            "spend_rebate",
            "spend_other",
        ),
    ),
    ("pipeline", ("forecast", "forecast_accuracy", "won_amount", "win_rate", "pipeline_amount", "pipeline_coverage")),
    ("receivables", ("ar_open", "ar_overdue", "overdue_ratio", "dso_days", "credit_utilization")),
)
# the quarterly trend: each indicator's headline and the KPI its status reads
TREND_KPIS = FIVE_INDICATORS
AGING = ("ar_not_due", "ar_aging_0_30", "ar_aging_31_60", "ar_aging_61_90", "ar_aging_over_90")
FAMILY_UNITS = {"indicator": "text", "kpi": "text", "value": "@unit", "last_quarter": "@unit", "prior_year": "@unit"}


def _shown(kpi: str, values: pd.Series, view: View) -> object:
    """The value of ``kpi`` as a report shows it: the number, or not meaningful over a small base."""
    return values.get(kpi) if is_meaningful(kpi, values, view.params.kpi) else NOT_MEANINGFUL


def _families(view: View, families: tuple[tuple[str, tuple[str, ...]], ...]) -> pd.DataFrame:
    """One row per KPI: this quarter, last quarter, a year ago and the status (rows with no figure left out)."""
    now, last, year = view.kpis(), view.kpis(view.period.prev), view.kpis(view.period.prior_year)
    thresholds = view.params.report.rag
    rows = []
    for family, kpis in families:
        for kpi in kpis:
            if pd.isna(now.get(kpi)) and pd.isna(last.get(kpi)) and pd.isna(year.get(kpi)):
                continue
            unit = KPI_BY_ID[kpi].unit
            shown = _shown(kpi, now, view)
            status = rag(shown, thresholds.get(kpi), unit) if shown is not NOT_MEANINGFUL else None  # type: ignore[arg-type]
            rows.append(
                {
                    "indicator": indicator_label(family, view.lang),
                    "kpi": kpi_label(kpi, view.lang),
                    "value": shown,
                    "last_quarter": _shown(kpi, last, view),
                    "prior_year": _shown(kpi, year, view),
                    "rag": status,
                    "unit": unit,
                    "kpi_id": kpi,
                }
            )
    columns = ["indicator", "kpi", "value", "last_quarter", "prior_year", "rag", "unit", "kpi_id"]
    return pd.DataFrame(rows, columns=columns)


def sales_to_fill(view: View) -> pd.DataFrame:
    """Sales, share, execution and fill rate: every KPI this quarter, last quarter and a year ago, with status."""
    return _families(view, FAMILIES_LEFT)


def profit_to_receivables(view: View) -> pd.DataFrame:
    """Profit (trade spend by type), pipeline and forecast, receivables: this quarter, last, a year ago, status."""
    return _families(view, FAMILIES_RIGHT)


def trend(view: View) -> pd.DataFrame:
    """The five indicators by quarter over the trend quarters, oldest first (not meaningful over a small base)."""
    series = view.trend()
    if series.empty:
        return pd.DataFrame(columns=["period", *TREND_KPIS])
    frame = series[list(TREND_KPIS)].rename_axis("period").reset_index()
    return not_meaningful(frame, series.reset_index(drop=True), view.params)


def aging(view: View) -> pd.DataFrame:
    """Open receivables at the quarter's end by days past due, this quarter and last, and their total."""
    now, last = view.kpis(), view.kpis(view.period.prev)
    items = [*AGING, "ar_open"]
    return pd.DataFrame(
        {
            "item": [kpi_label(k, view.lang) for k in AGING] + [t("total", view.lang)],
            "value": [now.get(k) for k in items],
            "last_quarter": [last.get(k) for k in items],
        }
    )


AGING_UNITS = {"item": "text", "value": "amount", "last_quarter": "amount"}
