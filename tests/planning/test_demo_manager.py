"""On the demo data: the owner scorecard against kpis, the targets shown, the company target reconciled."""

import math

import pandas as pd
import pytest

from kamreport.planning.scorecard import SCORECARD_KPIS


def _same(shown: float, expected: float) -> bool:
    return (math.isnan(shown) and math.isnan(expected)) or shown == pytest.approx(expected, rel=1e-12)


def test_owner_scorecard_equals_the_owner_and_region_kpis(demo_run):
    results = demo_run.data.results
    card = results.owner_scorecard
    owners, regions = results.kpi_table("owner"), results.kpi_table("region")
    assert set(card.loc[~card["total"], "owner"]) == set(owners.index)  # every demo owner holds one region
    for row in card.itertuples():
        expected = regions.loc[row.region] if row.total else owners.loc[row.owner]
        for kpi in SCORECARD_KPIS:
            assert _same(getattr(row, kpi), expected[kpi]), (row.region, row.owner, kpi)
    for region, rows in card[~card["total"]].groupby("region"):
        assert rows["pipeline_amount"].sum() == pytest.approx(regions.loc[region, "pipeline_amount"])
        assert rows["key_accounts"].sum() == regions.loc[region, "key_accounts"]


def test_the_demo_has_targets_beyond_revenue_and_a_company_target(demo_run):
    company = demo_run.company().kpis()
    assert company["share_of_wallet_target"] == pytest.approx(0.40, abs=0.05)  # North's 0.35 pulls it down
    assert company["gross_margin_target"] == pytest.approx(0.30)
    assert company["fill_rate_target"] == pytest.approx(0.95)
    assert company["frequency_attainment_target"] == pytest.approx(0.90)
    assert demo_run.region("North").kpis()["share_of_wallet_target"] == pytest.approx(0.35)
    plan = demo_run.accounts
    company_target = demo_run.params.planning.targets.company_target_nq
    assert company_target is not None
    assert plan["target_nq_reconciled"].sum() == pytest.approx(company_target)
    assert not (plan["target_nq_reconciled"] - plan["target_nq"]).abs().lt(0.01).all()


def test_every_open_opportunity_past_its_close_gets_an_action(demo_run):
    opps = demo_run.data.results.opportunities
    late = opps[(opps["status"] == "open") & (pd.to_datetime(opps["expected_close"]) < pd.Timestamp("2026-09-30"))]
    fired = demo_run.data.results.actions
    assert set(fired.loc[fired["rule"] == "opportunity_overdue", "key"]) == set(late["opportunity_id"])
    assert len(late) > 0


MANAGER_KPIS = [
    "growth_gap_pp",
    "demand_growth_yoy",
    "growth_qoq",
    "high_margin_mix",
    "high_margin_revenue",
    "promotions",
    "promo_lead_days_median",
    "promo_on_time_share",
    "displays",
    "visit_success_rate",
    "coverage",
    "volume_per_100_spend",
    "otif_rate",
    "forecast",
    "forecast_accuracy",
    "win_rate",
    "overdue_ratio",
    "dso_days",
    "ar_aging_0_30",
    "ar_aging_over_90",
    "spend_fixed_fee",
    "spend_promotion",
    "spend_display",
    "spend_rebate",
    "spend_other",
    "key_accounts_per_owner",
    "unit_price",
    "unfilled_value",
    "share_change_qoq_pp",
    "credit_utilization",
]


def test_every_manager_kpi_at_every_level_in_every_trend_quarter(demo_run):
    """Wherever a level's accounts have a KPI in a trend quarter, the level has it too (kpis.csv rows)."""
    results = demo_run.data.results
    kpis, history = results.kpis, results.history
    grouped = set(results.accounts.loc[results.accounts["group_id"].notna(), "account_id"])
    periods = [str(q) for q in demo_run.period.trailing(demo_run.params.kpi.trend_quarters)]
    for level in ("owner", "group", "region", "company"):
        members = history[history["account_id"].isin(grouped)] if level == "group" else history
        expected = members.groupby("period")[MANAGER_KPIS].apply(lambda rows: rows.notna().any())
        rows = kpis[(kpis["level"] == level) & kpis["kpi"].isin(MANAGER_KPIS)]
        present = rows.groupby(["period", "kpi"], observed=True)["value"].apply(lambda v: v.notna().any()).unstack()
        assert set(expected.index) == set(periods)
        for period in periods:
            for kpi in MANAGER_KPIS:
                assert present.loc[period, kpi] == expected.loc[period, kpi], (level, kpi, period)
    # nearly all of them exist in every quarter of the demo: only demand growth lacks the demand of
    # a year before the first quarter
    company = kpis[(kpis["level"] == "company") & kpis["kpi"].isin(MANAGER_KPIS)].dropna(subset=["value"])
    assert company.groupby("kpi", observed=True)["period"].nunique().to_dict() == {
        kpi: len(periods) - (kpi in ("growth_gap_pp", "demand_growth_yoy")) for kpi in MANAGER_KPIS
    }
    # the pipeline is today's snapshot: its coverage exists for the run's period only
    coverage = kpis[(kpis["level"] == "region") & (kpis["kpi"] == "pipeline_coverage")].dropna(subset=["value"])
    assert set(coverage["period"]) == {str(demo_run.period)}
