"""KPI thresholds (``kpi`` in a params file): docs/kpis.md marks each as *(param)*."""

from __future__ import annotations

from pydantic import Field

from kamreport.params.base import StrictModel


class VisitsRequired(StrictModel):
    """Required visits per quarter by tier (docs/kpis.md, "Execution")."""

    A: int = Field(12, ge=0, description="visits per quarter a tier-A account needs")
    B: int = Field(6, ge=0, description="visits per quarter a tier-B account needs")
    C: int = Field(2, ge=0, description="visits per quarter a tier-C account needs")


class KpiParams(StrictModel):
    """Thresholds of the KPIs (docs/kpis.md)."""

    visits_required: VisitsRequired = Field(
        default_factory=VisitsRequired, description="required visits per quarter by tier"
    )
    unbalanced_last_week_share: float = Field(
        0.40, ge=0, le=1, description="last_week_share above this flags `unbalanced`"
    )
    last_week_first_day: int = Field(22, ge=1, le=31, description="the month's 'last week' starts on this day")
    promo_on_time_lead_days: int = Field(
        45, ge=0, description="a promotion submitted at least this many days ahead is on time"
    )
    trend_quarters: int = Field(8, ge=4, le=20, description="quarters of KPI history computed for trends")
