"""On the demo data: every plan-of-record KPI of issue 17 has a value where a manager looks for it."""

import pandas as pd

from kamreport.registry import KPI_BY_ID

# The KPIs issue 17 names: each must have a value for every region …
REGION_KPIS = (
    "objectives_due",
    "objectives_done_share",
    "objectives_overdue",
    "promo_plan_coverage",
    "promo_plan_on_time_share",
    "promo_on_time_share",
    "promo_spend_vs_plan",
    "promo_volume_vs_plan",
    "agreement_volume_attainment_ytd",
    "agreement_revenue_attainment_ytd",
    "agreement_spend_attainment_ytd",
    "agreement_promotions_attainment_ytd",
    "agreement_displays_attainment_ytd",
    "forecast_accuracy",
    "forecast_bias",
    "bid_win_rate",
    "bid_price_erosion",
    "bids_open",
    "value_per_win",
    "value_creation",
    "strategic_revenue",
    "strategic_mix",
    "strategic_penetration",
)
# … and the owner-level ones for at least 80 % of the account managers
OWNER_KPIS = (
    "objectives_due",
    "objectives_done_share",
    "objectives_overdue",
    "forecast_accuracy",
    "forecast_bias",
    "value_per_win",
    "value_creation",
)


def test_every_named_kpi_has_a_value_per_region_and_for_most_owners(full_demo_run):
    results = full_demo_run.data.results
    regions = results.kpi_table("region")
    assert all(k in KPI_BY_ID for k in REGION_KPIS)
    missing = {k: list(regions.index[regions[k].isna()]) for k in REGION_KPIS if regions[k].isna().any()}
    assert not missing
    owners = results.kpi_table("owner")
    share = {k: float(owners[k].notna().mean()) for k in OWNER_KPIS}
    assert min(share.values()) >= 0.8, share


def test_each_plan_shows_its_objectives_with_owner_due_and_status(demo_run):
    from kamreport.report.chapters import chapter
    from kamreport.report.spec import build_section

    objectives = demo_run.data.results.objectives
    shown = 0
    for account in demo_run.key_accounts:
        section = build_section(chapter("objectives"), demo_run.account(account))
        frame = section.table("objectives").frame
        assert {"objective", "responsible", "due", "status"} <= set(frame.columns)
        mine = objectives[(objectives["account_id"] == account)]
        expected = mine[mine["due_now"] | (mine["status"] == "open")]
        assert len(frame) == len(expected)
        assert frame["responsible"].notna().all() and pd.to_datetime(frame["due"]).notna().all()
        shown += len(frame)
    assert shown > 0
