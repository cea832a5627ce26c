"""KPI thresholds (``kpi`` in a params file): docs/kpis.md marks each as *(param)*."""

from __future__ import annotations

from pydantic import Field, field_validator

from kamreport.params.base import StrictModel, unknown_name
from kamreport.registry import RATIO_TARGETS


class VisitsRequired(StrictModel):
    """Required visits per quarter by tier (docs/kpis.md, "Execution")."""

    A: int = Field(12, ge=0, description="visits per quarter a tier-A account needs")
    B: int = Field(6, ge=0, description="visits per quarter a tier-B account needs")
    C: int = Field(2, ge=0, description="visits per quarter a tier-C account needs")


class KpiTarget(StrictModel):
    """The target of one KPI for accounts the targets table gives none (``kpi.targets.<kpi>``).

    An account's target is the targets table's ``<kpi>_target`` for the quarter, else its
    region's value here, else the company's; a level's target is its accounts' targets
    weighted by the KPI's denominator (docs/kpis.md, targets).
    """

    company: float | None = Field(None, ge=0, description="the target of every account without a table or region value")
    regions: dict[str, float] = Field(default_factory=dict, description="region → target of that region's accounts")


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
    min_base_revenue: float = Field(
        10_000,
        ge=0,
        description="a ratio over an amount below this (growth over last year's revenue, margins …) "
        "is shown as not meaningful; exports keep the exact value",
    )
    min_base_spend: float = Field(
        1_000,
        ge=0,
        description="a ratio over trade spend below this (revenue or volume per 100 spend) is shown as not "
        "meaningful; exports keep the exact value",
    )
    min_base_units: float = Field(
        50, ge=0, description="a ratio over a quantity below this (fill rate …) is shown as not meaningful"
    )
    targets: dict[str, KpiTarget] = Field(
        default_factory=dict,
        description=f"KPI → company / per-region target ({', '.join(RATIO_TARGETS)}); "
        "the targets table's <kpi>_target columns come first",
    )

    @field_validator("targets")
    @classmethod
    def _targetable(cls, value: dict[str, KpiTarget]) -> dict[str, KpiTarget]:
        for kpi in value:
            if kpi not in RATIO_TARGETS:
                raise ValueError(unknown_name(kpi, list(RATIO_TARGETS), "KPI with a target"))
        return value
