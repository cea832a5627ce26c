"""The names of every figure: each KPI id (docs/kpis.md) with its family, unit, direction and base; the plan columns.

A base-layer declaration, read by the params (action rules may name only these), the engine
(which ids exist), the exports (their order), the workbook and the HTML (number formats,
RAG direction, "not meaningful" below a base).  Labels live in :mod:`kamreport.report.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd

from kamreport.contract import TABLES

Unit = Literal["amount", "count", "quantity", "share", "pp", "multiple", "days", "flag", "index"]
Family = Literal["sales", "share", "execution", "profit", "fill_rate", "supporting", "plans"]


@dataclass(frozen=True)
class Kpi:
    """One KPI id.

    ``base`` names the KPI id a ratio is taken over (an amount or a quantity): where the
    base is below ``kpi.min_base_revenue`` / ``kpi.min_base_spend`` / ``kpi.min_base_units`` the
    ratio is shown as not meaningful (:func:`meaningful`); exports keep it exact.
    """

    id: str
    family: Family
    unit: Unit
    additive: bool = False
    higher_is_better: bool | None = True
    base: str | None = None


def _k(
    id: str, family: Family, unit: Unit, additive: bool = False, better: bool | None = True, base: str | None = None
) -> Kpi:
    return Kpi(id, family, unit, additive, better, base)


KPIS: tuple[Kpi, ...] = (
    # 2.1 sales
    _k("revenue", "sales", "amount", True),
    _k("quantity", "sales", "quantity", True),
    _k("unit_price", "sales", "amount", False, None, base="quantity"),
    _k("revenue_target", "sales", "amount", True, None),
    _k("attainment", "sales", "share", base="revenue_target"),
    _k("revenue_pq", "sales", "amount", True, None),
    _k("growth_qoq", "sales", "share", base="revenue_pq"),
    _k("revenue_py", "sales", "amount", True, None),
    _k("growth_yoy", "sales", "share", base="revenue_py"),
    _k("high_margin_revenue", "sales", "amount", True),
    _k("high_margin_mix", "sales", "share", base="revenue"),
    # 2.2 share of wallet
    _k("demand", "share", "amount", True, None),
    _k("share_of_wallet", "share", "share", base="demand"),
    _k("share_of_wallet_target", "share", "share", False, None),
    _k("share_of_wallet_pq", "share", "share", False, None),
    _k("share_change_qoq_pp", "share", "pp", base="demand"),
    _k("share_of_wallet_py", "share", "share", False, None),
    _k("share_change_pp", "share", "pp", base="demand"),
    _k("demand_growth_yoy", "share", "share", False, None, base="demand"),
    _k("growth_gap_pp", "share", "pp", base="demand"),
    # 2.3 execution
    _k("visits_planned", "execution", "count", True),
    _k("visits_completed", "execution", "count", True),
    _k("visit_compliance", "execution", "share"),
    _k("visits_required", "execution", "count", True, None),
    _k("frequency_attainment", "execution", "share"),
    _k("frequency_attainment_target", "execution", "share", False, None),
    _k("coverage", "execution", "share"),
    _k("visit_success_rate", "execution", "share"),
    _k("promotions", "execution", "count", True),
    _k("displays", "execution", "count", True),
    _k("key_accounts", "execution", "count", True, None),
    _k("account_managers", "execution", "count", False, None),
    _k("key_accounts_per_owner", "execution", "count", False, None),
    # 2.4 profit
    _k("cost", "profit", "amount", True, None),
    _k("gross_profit", "profit", "amount", True),
    _k("gross_margin", "profit", "share", base="revenue"),
    _k("gross_margin_target", "profit", "share", False, None),
    _k("trade_spend", "profit", "amount", True, None),
    _k("spend_fixed_fee", "profit", "amount", True, None),
    _k("spend_promotion", "profit", "amount", True, None),
    _k("spend_display", "profit", "amount", True, None),
    _k("spend_rebate", "profit", "amount", True, None),
    _k("spend_other", "profit", "amount", True, None),
    _k("contribution", "profit", "amount", True),
    _k("contribution_margin", "profit", "share", base="revenue"),
    _k("spend_efficiency", "profit", "index", base="trade_spend"),
    _k("volume_per_100_spend", "profit", "index", base="trade_spend"),
    # 2.5 fill rate
    _k("qty_ordered", "fill_rate", "quantity", True, None),
    _k("qty_unfilled", "fill_rate", "quantity", True, False),
    _k("unfilled_value", "fill_rate", "amount", True, False),
    _k("fill_rate", "fill_rate", "share", base="qty_ordered"),
    _k("fill_rate_target", "fill_rate", "share", False, None),
    _k("otif_rate", "fill_rate", "share", base="qty_ordered"),
    # 3 supporting
    _k("last_week_share", "supporting", "share", False, False, base="revenue"),
    _k("unbalanced", "supporting", "flag", False, False),
    _k("promo_lead_days_median", "supporting", "days"),
    _k("promo_on_time_share", "supporting", "share"),
    _k("forecast", "supporting", "amount", True, None),
    _k("forecast_accuracy", "supporting", "share", base="revenue"),
    _k("forecast_bias", "supporting", "share", False, None, base="revenue"),
    _k("ar_open", "supporting", "amount", True, None),
    _k("ar_overdue", "supporting", "amount", True, False),
    _k("ar_not_due", "supporting", "amount", True, None),
    _k("ar_aging_0_30", "supporting", "amount", True, False),
    _k("ar_aging_31_60", "supporting", "amount", True, False),
    _k("ar_aging_61_90", "supporting", "amount", True, False),
    _k("ar_aging_over_90", "supporting", "amount", True, False),
    _k("overdue_ratio", "supporting", "share", False, False, base="ar_open"),
    _k("dso_days", "supporting", "days", False, False, base="revenue"),
    _k("credit_utilization", "supporting", "share", False, False),
    _k("won_amount", "supporting", "amount", True),
    _k("win_rate", "supporting", "share"),
    _k("pipeline_amount", "supporting", "amount", True),
    _k("weighted_pipeline", "supporting", "amount", True),
    _k("next_quarter_target", "supporting", "amount", True, None),
    _k("pipeline_coverage", "supporting", "multiple", base="next_quarter_target"),
    # 4 plans of record and value creation (issue 17)
    _k("objectives_due", "plans", "count", True, None),
    _k("objectives_done_share", "plans", "share"),
    _k("objectives_overdue", "plans", "count", True, False),
    _k("promo_plan_coverage", "plans", "share"),
    _k("promo_plan_on_time_share", "plans", "share"),
    _k("promo_planned_spend", "plans", "amount", True, None),
    _k("promo_actual_spend", "plans", "amount", True, None),
    _k("promo_spend_vs_plan", "plans", "share", False, None),
    _k("promo_planned_volume", "plans", "quantity", True, None),
    _k("promo_actual_volume", "plans", "quantity", True),
    _k("promo_volume_vs_plan", "plans", "share"),
    _k("agreement_volume_attainment_ytd", "plans", "share"),
    _k("agreement_revenue_attainment_ytd", "plans", "share"),
    _k("agreement_spend_attainment_ytd", "plans", "share", False, None),
    _k("agreement_promotions_attainment_ytd", "plans", "share"),
    _k("agreement_displays_attainment_ytd", "plans", "share"),
    _k("bid_win_rate", "plans", "share"),
    _k("bid_price_erosion", "plans", "share", False, False),
    _k("bids_open", "plans", "count", True, None),
    _k("value_per_win", "plans", "amount"),
    _k("value_creation", "plans", "amount"),
    _k("strategic_revenue", "plans", "amount", True),
    _k("strategic_mix", "plans", "share", base="revenue"),
    _k("strategic_penetration", "plans", "share"),
)

KPI_BY_ID: dict[str, Kpi] = {k.id: k for k in KPIS}
KPI_IDS: tuple[str, ...] = tuple(k.id for k in KPIS)

# The target of a KPI, where one can be set: the targets table's column / the params' key
# (`kpi.targets.<kpi>`) gives it per account, and it rolls up weighted by the KPI's denominator.
KPI_TARGETS: dict[str, str] = {
    "revenue": "revenue_target",
    "share_of_wallet": "share_of_wallet_target",
    "frequency_attainment": "frequency_attainment_target",
    "gross_margin": "gross_margin_target",
    "fill_rate": "fill_rate_target",
}
# The ratio targets (beside revenue_target): the targets table may carry them as columns.
RATIO_TARGETS: tuple[str, ...] = tuple(kpi for kpi in KPI_TARGETS if kpi != "revenue")

# The five KA indicators: (indicator, its headline KPI) in scorecard order.
FIVE_INDICATORS: tuple[tuple[str, str], ...] = (
    ("sales", "revenue"),
    ("share", "share_of_wallet"),
    ("execution", "frequency_attainment"),
    ("profit", "gross_margin"),
    ("fill_rate", "fill_rate"),
)

# The planning table (docs/kpis.md, "Account planning"): accounts.csv's columns, in order …
ACCOUNTS_CSV_COLUMNS: tuple[str, ...] = (
    "account_id",
    "account_name",
    "region",
    "owner",
    "group_id",
    "revenue",
    "revenue_t4q",
    "tier",
    "key_account",
    "key_account_pq",
    "review",
    "share_of_wallet",
    "share_change_pp",
    "position",
    "position_pq",
    "base",
    "target_nq",
    "target_nq_reconciled",
    "priority",
    "relationship_stage",
    "planning_level",
)
# … the working columns of the decomposition and the tiering that plans show …
PLAN_WORKING_COLUMNS: tuple[str, ...] = (
    "tier_pq",
    "rank",
    "cum_before",
    "demand",
    "revenue_pq",
    "revenue_p2",
    "market_growth",
    "capture",
    "reconcile_factor",  # the factor that scaled targets to the company target (missing without one)
    "share_of_wallet_pq",
    "share_change_qoq_pp",
    "share_change_qoq_value",
    "material",
    "priority_company",
    "history_quarters",  # quarters from the account's first sales line to P (relationship stage)
)
# … and the account's profile from the accounts table.
PROFILE_COLUMNS: tuple[str, ...] = (
    "group_name",
    "status",
    "segment",
    "potential_monthly",
    "competitor",
    "competitor_tier",
    "decision_style",
    "credit_limit",
)
PLAN_COLUMNS: tuple[str, ...] = ACCOUNTS_CSV_COLUMNS[1:] + PLAN_WORKING_COLUMNS + PROFILE_COLUMNS

# What a group rule may read besides the group's KPIs: its id and how many sites it has.
GROUP_COLUMNS: tuple[str, ...] = ("group_id", "sites", "key_sites")
# What an opportunity rule may read: the opportunity's columns (the data contract's), its account's
# name, region and group, its score and how many days it is past its expected close.
OPPORTUNITY_COLUMNS: tuple[str, ...] = (
    *(column.name for column in TABLES["opportunities"].columns),
    "account_name",
    "region",
    "group_id",
    "days_overdue",
    "probability",
    "weighted_amount",
    "score_opportunity",
    "score_compete",
    "score_win",
    "score_worth",
    "score",
    "high_value",
    "answers_missing",
)

# What an action rule may read, by the rule's scope: a key account's KPIs and its plan row;
# a group customer's KPIs and its columns; an opportunity's columns.
RULE_SCOPES: tuple[str, ...] = ("account", "group", "opportunity")
# The planning level is decided after the actions (it reads how many an account has): no rule reads it.
AFTER_ACTIONS: frozenset[str] = frozenset({"planning_level"})
RULE_NAMES_BY_SCOPE: dict[str, frozenset[str]] = {
    "account": (frozenset(KPI_IDS) | frozenset(PLAN_COLUMNS)) - AFTER_ACTIONS,
    "group": frozenset(KPI_IDS) | frozenset(GROUP_COLUMNS),
    "opportunity": frozenset(OPPORTUNITY_COLUMNS),
}
RULE_NAMES: frozenset[str] = RULE_NAMES_BY_SCOPE["account"]
# What a relationship-stage rule may read (planning.relationship.stages): an account rule's names;
# a planning-level rule (planning.relationship.levels) also its stage and how many actions it has.
STAGE_NAMES: frozenset[str] = RULE_NAMES - {"relationship_stage"}
LEVEL_NAMES: frozenset[str] = RULE_NAMES | {"action_count"}


# --------------------------------------------------------------------------- not meaningful below a base
# A growth of 4,194 % over last year's 200 of revenue, or a −284 % contribution margin on 900 of
# revenue, is arithmetic, not information.  Each ratio declares the KPI id it is taken over
# (``Kpi.base``); where that base is below ``kpi.min_base_revenue`` (amounts),
# ``kpi.min_base_spend`` (trade spend: a smaller amount than revenue) or ``kpi.min_base_units``
# (quantities) reports show the value as *not meaningful*.  kpis.csv and
# the results keep the exact value: this is a presentation rule, declared here so that the
# report layer applies the one definition.


# Bases that are trade spend: an account spends a small fraction of its revenue, so the
# revenue minimum would leave nearly every account's spend ratios not meaningful.
SPEND_BASES: frozenset[str] = frozenset({"trade_spend"})


class MinBases(Protocol):
    """The smallest bases a ratio is meaningful over (``kpi`` in the params: :class:`KpiParams`)."""

    @property
    def min_base_revenue(self) -> float:
        """A ratio over an amount below this is not meaningful."""

    @property
    def min_base_spend(self) -> float:
        """A ratio over trade spend below this is not meaningful."""

    @property
    def min_base_units(self) -> float:
        """A ratio over a quantity below this is not meaningful."""


def min_base(kpi: str, params: MinBases) -> float | None:
    """The smallest base at which ``kpi`` is meaningful, or ``None`` when it has no base."""
    base = KPI_BY_ID[kpi].base
    if base is None:
        return None
    if base in SPEND_BASES:
        return params.min_base_spend
    return params.min_base_units if KPI_BY_ID[base].unit == "quantity" else params.min_base_revenue


def meaningful(table: pd.DataFrame, params: MinBases) -> pd.DataFrame:
    """For a key × KPI-id table (e.g. ``Results.kpi_table``): True where each value may be shown.

    A value is not meaningful where its KPI has a base and the base is missing or below
    the minimum; a missing value stays True (it is shown as missing, not as not meaningful).
    Columns whose base is not in ``table`` are True.
    """
    mask = pd.DataFrame(True, index=table.index, columns=table.columns)
    for kpi in table.columns:
        rule = _base_floor(kpi, params)
        if rule is None or rule[0] not in table:
            continue
        base, floor = rule
        small = ~(pd.to_numeric(table[base], errors="coerce").astype("float64") >= floor)
        mask[kpi] = ~(small & table[kpi].notna())
    return mask


def is_meaningful(kpi: str, values: pd.Series, params: MinBases) -> bool:
    """Whether ``values[kpi]`` may be shown, ``values`` being one key's KPIs (e.g. ``View.kpis()``).

    The rule of :func:`meaningful` for one value: only the KPI and its base are read (a
    report asks this for every indicator it shows).
    """
    rule = _base_floor(kpi, params)
    if kpi not in values or rule is None or rule[0] not in values:
        return True
    value, base_value = pd.to_numeric(values[[kpi, rule[0]]], errors="coerce").astype("float64")
    return bool(pd.isna(value) or base_value >= rule[1])


def _base_floor(kpi: str, params: MinBases) -> tuple[str, float] | None:
    """``kpi``'s base and the smallest meaningful base, or ``None`` when it has no base (or is not a KPI)."""
    if kpi not in KPI_BY_ID:
        return None
    base, floor = KPI_BY_ID[kpi].base, min_base(kpi, params)
    return None if base is None or floor is None else (base, floor)
