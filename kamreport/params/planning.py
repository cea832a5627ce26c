"""Account planning (``planning`` in a params file): tiers, key accounts, positions, targets, funnel, actions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from kamreport.params.actions import ActionRule, default_actions
from kamreport.params.base import StrictModel, Tier
from kamreport.params.relationship import RelationshipParams


def _key_tiers() -> list[Tier]:
    return ["A", "B"]


class TierParams(StrictModel):
    """The 5 % / 20 % model (docs/kpis.md, "Tiers")."""

    a_cum_share: float = Field(
        0.50, gt=0, le=1, description="tier A while the revenue share ranked above is below this"
    )
    b_cum_share: float = Field(
        0.75, gt=0, le=1, description="tier B while the revenue share ranked above is below this"
    )
    scope: Literal["company", "region"] = Field(
        "company", description="rank accounts across the company or within each region"
    )

    @model_validator(mode="after")
    def _ordered(self) -> TierParams:
        if self.b_cum_share < self.a_cum_share:
            raise ValueError("planning.tiers.b_cum_share must be at least a_cum_share")
        return self


class KeyAccountParams(StrictModel):
    """Key-account selection (docs/kpis.md, "Key accounts and the quarterly review")."""

    tiers: list[Tier] = Field(default_factory=_key_tiers, description="tiers that are key accounts")
    min_potential_monthly: float = Field(
        50_000, ge=0, description="an account with at least this monthly potential is key"
    )
    competitor_tier_order: list[str] = Field(
        default_factory=lambda: ["JP", "TW"], description="attack priority: these competitor tiers first, in this order"
    )


class PositionParams(StrictModel):
    """Relationship position thresholds (docs/kpis.md, "Relationship position")."""

    maintain_share: float = Field(
        0.70, ge=0, le=1, description="share of wallet at or above which an account can be `maintain`"
    )
    defend_share: float = Field(
        0.40, ge=0, le=1, description="share of wallet at or above which an account is `defend` (else `attack`)"
    )
    max_share_drop_pp: float = Field(
        5, ge=0, description="a share drop of this many points or more turns maintain into defend"
    )

    @model_validator(mode="after")
    def _ordered(self) -> PositionParams:
        if self.defend_share > self.maintain_share:
            raise ValueError("planning.positions.defend_share must not exceed maintain_share")
        return self


class TargetParams(StrictModel):
    """Next-quarter target decomposition (docs/kpis.md, "Next-quarter target")."""

    weights: tuple[float, float, float] = Field(
        (0.5, 0.3, 0.2), description="weights of revenue in P, PQ and P-2 for `base`"
    )
    market_growth: float = Field(0.05, description="market growth applied to maintain / defend / unknown accounts")
    market_growth_by_region: dict[str, float] = Field(
        default_factory=dict, description="region → market growth override"
    )
    attack_capture: float = Field(
        0.25, ge=0, le=1, description="share of the gap to target_share captured next quarter"
    )
    attack_target_share: float = Field(
        0.40, ge=0, le=1, description="share of wallet an attack account is driven towards"
    )
    company_target_nq: float | None = Field(
        None, ge=0, description="top-down company target for NQ; targets are reconciled to it"
    )


class OpportunityParams(StrictModel):
    """Opportunity value score (docs/kpis.md, "Opportunity value score")."""

    high_value_min_score: int = Field(10, ge=0, le=20, description="score above this is high value")


class FunnelParams(StrictModel):
    """Funnel stages and health (docs/kpis.md, "Funnel and its health")."""

    stage_probability: tuple[float, float, float, float, float, float, float, float] = Field(
        (0.05, 0.10, 0.20, 0.30, 0.50, 0.70, 0.90, 1.00), description="win probability of stages 1..8"
    )
    coverage_ratios: dict[int, float] = Field(
        default_factory=lambda: {1: 0.30, 2: 0.25, 3: 0.20, 4: 0.15, 5: 0.12, 6: 0.08, 7: 0.05},
        description="benchmark of open stage s as a multiple of the level's next-quarter target",
    )
    benchmark_amounts: dict[str, dict[int, float]] = Field(
        default_factory=dict,
        description="explicit benchmark amounts by stage, per 'company', 'region:<name>' or 'owner:<name>'; "
        "they replace the ratio there",
    )
    excellent: float = Field(1.00, ge=0, description="health at or above this is excellent")
    good: float = Field(0.70, ge=0, description="health at or above this is good; below is warning")

    @field_validator("coverage_ratios")
    @classmethod
    def _open_stages(cls, value: dict[int, float]) -> dict[int, float]:
        _check_open_stages(value)
        return value

    @field_validator("benchmark_amounts")
    @classmethod
    def _open_stage_amounts(cls, value: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for where, amounts in value.items():
            if where != "company" and not where.startswith(("region:", "owner:", "group:")):
                raise ValueError(
                    f"benchmark_amounts key '{where}' must be 'company', 'region:<name>' or 'owner:<name>'"
                )
            _check_open_stages(amounts)
        return value


def _check_open_stages(value: dict[int, float]) -> None:
    bad = [s for s in value if not 1 <= s <= 7]
    if bad:
        raise ValueError(f"funnel stages are 1..7 for open opportunities, got {bad}")


class PlanningParams(StrictModel):
    """Account planning (docs/kpis.md, "Account planning")."""

    tiers: TierParams = Field(default_factory=TierParams)
    key_account: KeyAccountParams = Field(default_factory=KeyAccountParams)
    positions: PositionParams = Field(default_factory=PositionParams)
    targets: TargetParams = Field(default_factory=TargetParams)
    opportunities: OpportunityParams = Field(default_factory=OpportunityParams)
    funnel: FunnelParams = Field(default_factory=FunnelParams)
    kam_capacity: int = Field(
        50, ge=1, description="key accounts one key-account manager can serve (key_accounts_per_owner against it)"
    )
    actions: list[ActionRule] = Field(default_factory=default_actions, description="recommended-action rules")
    relationship: RelationshipParams = Field(
        default_factory=RelationshipParams, description="relationship stage and planning level of each account"
    )
