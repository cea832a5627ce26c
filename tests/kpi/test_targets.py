"""Targets beyond revenue: the targets table's <kpi>_target columns, else kpi.targets, weighted up the levels."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, table

from kamreport.errors import ParamsError
from kamreport.params import parse_params


def _results():
    accts = accounts("A1", "A2", "A3", region=["East", "East", "South"])
    sales = table("sales", date=["2026-08-01"] * 3, account_id=["A1", "A2", "A3"], revenue=[900.0, 300.0, 200.0])
    demand = table("demand", period=["2026Q3"] * 3, account_id=["A1", "A2", "A3"], total_demand=[2000.0, 1000.0, 500.0])
    targets = table(
        "targets",
        period=["2026Q3", "2026Q3", "2026-07", "2026-08"],
        account_id=["A1", "A2", "A3", "A3"],
        revenue_target=[1000.0, 500.0, 100.0, 100.0],
        share_of_wallet_target=[0.5, None, 0.6, 0.8],
        fill_rate_target=[0.9, None, None, None],
    )
    orders = table(
        "orders",
        order_id=["O1", "O2"],
        account_id=["A1", "A2"],
        order_date=["2026-07-05"] * 2,
        qty_ordered=[100.0, 50.0],
        qty_delivered=[100.0, 40.0],
    )
    settings = {"kpi": {"targets": {"share_of_wallet": {"company": 0.3, "regions": {"South": 0.4}}}}}
    return compute_results(settings, accounts=accts, sales=sales, demand=demand, targets=targets, orders=orders)


def test_table_targets_first_then_region_then_company_weighted_by_the_denominator():
    results = _results()
    assert account_kpis(results, "A1")["share_of_wallet_target"] == 0.5  # the table
    assert account_kpis(results, "A2")["share_of_wallet_target"] == 0.3  # East has no value: the company's
    assert account_kpis(results, "A3")["share_of_wallet_target"] == pytest.approx(0.7)  # monthly rows: their mean
    east = results.kpi_table("region").loc["East"]
    assert east["share_of_wallet_target"] == pytest.approx((0.5 * 2000 + 0.3 * 1000) / 3000)
    company = results.kpi_table("company").loc["all"]
    assert company["share_of_wallet_target"] == pytest.approx((1000 + 300 + 0.7 * 500) / 3500)
    # a fill-rate target only for A1: the level's target is A1's (weighted by quantity ordered)
    assert account_kpis(results, "A1")["fill_rate_target"] == 0.9 and math.isnan(
        account_kpis(results, "A2")["fill_rate_target"]
    )
    assert east["fill_rate_target"] == pytest.approx(0.9)
    assert math.isnan(company["gross_margin_target"]) and math.isnan(company["frequency_attainment_target"])
    assert company["revenue_target"] == 1700  # the revenue targets are unchanged


def test_a_target_for_a_kpi_that_cannot_have_one_is_refused():
    with pytest.raises(ParamsError, match="did you mean 'share_of_wallet'"):
        parse_params({"period": "2026Q3", "kpi": {"targets": {"share_of_walet": {"company": 0.5}}}})
