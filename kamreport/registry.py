"""The names of every figure: each KPI id (docs/kpis.md) with its family, unit and direction, and the plan columns.

A base-layer declaration, read by the params (action rules may name only these), the engine
(which ids exist), the exports (their order), the workbook and the HTML (number formats,
RAG direction).  Labels live in :mod:`kamreport.report.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["amount", "count", "quantity", "share", "pp", "multiple", "days", "flag", "index"]
Family = Literal["sales", "share", "execution", "profit", "fill_rate", "supporting"]


@dataclass(frozen=True)
class Kpi:
    """One KPI id."""

    id: str
    family: Family
    unit: Unit
    additive: bool = False
    higher_is_better: bool | None = True


def _k(id: str, family: Family, unit: Unit, additive: bool = False, better: bool | None = True) -> Kpi:
    return Kpi(id, family, unit, additive, better)


KPIS: tuple[Kpi, ...] = (
    # 2.1 sales
    _k("revenue", "sales", "amount", True),
    _k("quantity", "sales", "quantity", True),
    _k("revenue_target", "sales", "amount", True, None),
    _k("attainment", "sales", "share"),
    _k("revenue_pq", "sales", "amount", True, None),
    _k("growth_qoq", "sales", "share"),
    _k("revenue_py", "sales", "amount", True, None),
    _k("growth_yoy", "sales", "share"),
    _k("high_margin_revenue", "sales", "amount", True),
    _k("high_margin_mix", "sales", "share"),
    # 2.2 share of wallet
    _k("demand", "share", "amount", True, None),
    _k("share_of_wallet", "share", "share"),
    _k("share_of_wallet_py", "share", "share", False, None),
    _k("share_change_pp", "share", "pp"),
    _k("demand_growth_yoy", "share", "share", False, None),
    _k("growth_gap_pp", "share", "pp"),
    # 2.3 execution
    _k("visits_planned", "execution", "count", True),
    _k("visits_completed", "execution", "count", True),
    _k("visit_compliance", "execution", "share"),
    _k("visits_required", "execution", "count", True, None),
    _k("frequency_attainment", "execution", "share"),
    _k("coverage", "execution", "share"),
    _k("visit_success_rate", "execution", "share"),
    _k("promotions", "execution", "count", True),
    _k("displays", "execution", "count", True),
    # 2.4 profit
    _k("cost", "profit", "amount", True, None),
    _k("gross_profit", "profit", "amount", True),
    _k("gross_margin", "profit", "share"),
    _k("trade_spend", "profit", "amount", True, None),
    _k("contribution", "profit", "amount", True),
    _k("contribution_margin", "profit", "share"),
    _k("spend_efficiency", "profit", "index"),
    _k("volume_per_100_spend", "profit", "index"),
    # 2.5 fill rate
    _k("qty_ordered", "fill_rate", "quantity", True, None),
    _k("fill_rate", "fill_rate", "share"),
    _k("otif_rate", "fill_rate", "share"),
    # 3 supporting
    _k("last_week_share", "supporting", "share", False, False),
    _k("unbalanced", "supporting", "flag", False, False),
    _k("promo_count", "supporting", "count", True, None),
    _k("promo_lead_days_median", "supporting", "days"),
    _k("promo_on_time_share", "supporting", "share"),
    _k("forecast", "supporting", "amount", True, None),
    _k("forecast_accuracy", "supporting", "share"),
    _k("ar_open", "supporting", "amount", True, None),
    _k("ar_overdue", "supporting", "amount", True, False),
    _k("overdue_ratio", "supporting", "share", False, False),
    _k("credit_utilization", "supporting", "share", False, False),
    _k("won_amount", "supporting", "amount", True),
    _k("win_rate", "supporting", "share"),
    _k("pipeline_amount", "supporting", "amount", True),
    _k("weighted_pipeline", "supporting", "amount", True),
    _k("next_quarter_target", "supporting", "amount", True, None),
    _k("pipeline_coverage", "supporting", "multiple"),
)

KPI_BY_ID: dict[str, Kpi] = {k.id: k for k in KPIS}
KPI_IDS: tuple[str, ...] = tuple(k.id for k in KPIS)

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

# What an action rule may read: a key account's KPIs and its plan row.
RULE_NAMES: frozenset[str] = frozenset(KPI_IDS) | frozenset(PLAN_COLUMNS)
