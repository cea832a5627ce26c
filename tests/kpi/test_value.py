"""Bids, value creation, strategic products and forecast bias on hand-made data (issue 17)."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _tables(**extra):
    accts = accounts("K1", "K2", owner="Li")
    sales = table(
        "sales",
        date=["2026-07-01", "2026-07-02", "2026-07-03"],  # from the quarter's first month: 2026Q3 is covered
        account_id=["K1", "K1", "K2"],
        revenue=[800.0, 200.0, 500.0],
        product_code=["N1", "S1", "N1"],
    )
    demand = table("demand", period=["2026Q3", "2026Q3"], account_id=["K1", "K2"], total_demand=[2000.0, 2000.0])
    opportunities = table(
        "opportunities",
        opportunity_id=["O1", "O2", "O3", "O4"],
        account_id=["K1", "K1", "K2", "K2"],
        owner=["Li", "Wang", "Wang", "Wang"],  # Wang holds no account
        stage=[8, 8, 4, 3],
        amount=[300.0, 100.0, 50.0, 70.0],
        status=["won", "won", "lost", "open"],
        close_date=["2026-08-01", "2026-09-01", "2026-08-10", None],
        expected_close=[None, None, None, "2026-11-01"],
    )
    bids = table(
        "bids",
        opportunity_id=["O1", "O2", "O2", "O3", "O4"],
        submitted=["2026-07-01", "2026-07-01", "2026-07-20", "2026-07-05", "2026-08-01"],
        first_quote=[330.0, 120.0, 110.0, 60.0, 100.0],
        final_quote=[300.0, 110.0, 100.0, 50.0, None],
        result=["won", "lost", "won", "lost", "open"],
        decided=["2026-08-01", "2026-07-15", "2026-09-01", "2026-08-10", None],
    )
    tables = dict(accounts=accts, sales=sales, demand=demand, opportunities=opportunities, bids=bids)
    return {**tables, **extra}


def test_bid_win_rate_price_erosion_and_open_bids_follow_the_opportunity():
    results = compute_results(**_tables())
    company = results.kpi_table("company").loc["all"]
    # decided in 2026Q3: O1 won, O2 lost then won, O3 lost
    assert company["bid_win_rate"] == 0.5
    assert company["bid_price_erosion"] == pytest.approx(1 - (300 + 110 + 100 + 50) / (330 + 120 + 110 + 60))
    assert company["bids_open"] == 1
    owners = results.kpi_table("owner")  # a bid counts for its opportunity's own owner
    assert owners.loc["Li", "bid_win_rate"] == 1 and owners.loc["Li", "bid_price_erosion"] == pytest.approx(
        1 - 300 / 330
    )
    assert owners.loc["Wang", "bid_win_rate"] == pytest.approx(1 / 3) and owners.loc["Wang", "bids_open"] == 1
    assert owners["bids_open"].sum() == company["bids_open"]
    k2 = account_kpis(results, "K2")  # elsewhere it counts for its account
    assert k2["bid_win_rate"] == 0 and k2["bids_open"] == 1


def test_value_creation_is_share_of_wallet_times_win_rate_times_value_per_win():
    results = compute_results(**_tables())
    company = results.kpi_table("company").loc["all"]
    assert company["share_of_wallet"] == pytest.approx(1500 / 4000)
    assert company["win_rate"] == pytest.approx(2 / 3)
    assert company["value_per_win"] == 200  # (300 + 100) / 2 won
    assert company["value_creation"] == pytest.approx(0.375 * 2 / 3 * 200)
    for level in ("owner", "region", "company", "account"):
        table_ = results.kpi_table(level)
        product = table_["share_of_wallet"] * table_["win_rate"] * table_["value_per_win"]
        assert table_["value_creation"].equals(product), level
    li = results.kpi_table("owner").loc["Li"]  # Li's accounts' share, Li's own opportunities
    assert li["value_creation"] == pytest.approx(0.375 * 1 * 300)
    assert math.isnan(results.kpi_table("owner").loc["Wang", "value_creation"])  # Wang holds no account


def test_strategic_revenue_mix_and_penetration():
    products = table("products", product_code=["N1", "S1"], strategic=[False, True])
    results = compute_results(**_tables(products=products))
    company = results.kpi_table("company").loc["all"]
    assert company["strategic_revenue"] == 200 and company["strategic_mix"] == pytest.approx(200 / 1500)
    # both accounts are key (tiers A and B); only K1 bought a strategic product
    assert company["key_accounts"] == 2 and company["strategic_penetration"] == 0.5
    assert account_kpis(results, "K1")["strategic_penetration"] == 1
    without = compute_results(**_tables(products=table("products", product_code=["N1", "S1"])))
    assert math.isnan(without.kpi_table("company").loc["all", "strategic_penetration"])  # no strategic column


def test_forecast_bias_and_accuracy_on_the_latest_committed_version():
    forecasts = table(
        "forecasts",
        period=["2026Q3"] * 4,
        account_id=["K1", "K1", "K1", None],
        forecast_revenue=[1100.0, 900.0, 1300.0, 5000.0],
        version=["2026-06-15", "2026-08-01", "2026-06-15", "2026-06-20"],
        category=["commit", "commit", "best_case", "commit"],
        level=["account", "account", "account", "company"],
    )
    results = compute_results(**_tables(forecasts=forecasts))
    k1 = account_kpis(results, "K1")
    assert k1["forecast"] == 900  # the later version of the commit; the best case is not the forecast
    assert k1["forecast_bias"] == pytest.approx((900 - 1000) / 1000)
    assert k1["forecast_accuracy"] == pytest.approx(0.9)
    company = results.kpi_table("company").loc["all"]  # over the accounts with a forecast: K1 only
    assert company["forecast_bias"] == pytest.approx(-0.1) and company["forecast"] == 900
