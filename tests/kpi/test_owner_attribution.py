"""Opportunities count once at every level: for their own owner at the owner level, in their account's region."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, table

from kamreport.planning.scorecard import SCORECARD_KPIS


def _results():
    accts = accounts("A1", "A2", "A3", region=["East", "East", "South"], owner=["Li", "Wang", "Li"])
    sales = table("sales", date=["2026-08-01"] * 3, account_id=["A1", "A2", "A3"], revenue=[920.0, 400.0, 150.0])
    targets = table(
        "targets",
        period=["2026Q4"] * 3 + ["2026Q3"] * 3,
        account_id=["A1", "A2", "A3"] * 2,
        revenue_target=[1000.0, 500.0, 400.0, 900.0, 500.0, 100.0],
    )
    opportunities = table(
        "opportunities",
        opportunity_id=["O1", "O2", "O3", "O4", "O5"],
        account_id=["A1", "A2", "A1", "A3", "A1"],
        owner=["Wang", "Wang", "Li", "Li", "Zhao"],  # Zhao holds no account
        stage=[5, 8, 8, 3, 6],
        amount=[100.0, 300.0, 50.0, 200.0, 400.0],
        status=["open", "won", "lost", "open", "open"],
        close_date=[None, "2026-08-01", "2026-09-01", None, None],
        expected_close=["2026-10-15", None, None, "2026-11-01", "2026-12-01"],
    )
    return compute_results(accounts=accts, sales=sales, targets=targets, opportunities=opportunities)


def test_owner_level_follows_the_opportunitys_own_owner():
    results = _results()
    owners = results.kpi_table("owner")
    assert owners.loc["Li", "pipeline_amount"] == 200  # O4; O1 and O5 sit on Li's account A1 but are not Li's
    assert owners.loc["Li", "weighted_pipeline"] == pytest.approx(200 * 0.2)
    assert owners.loc["Li", "won_amount"] == 0 and owners.loc["Li", "win_rate"] == 0  # O3 lost
    assert owners.loc["Wang", "pipeline_amount"] == 100 and owners.loc["Wang", "won_amount"] == 300
    assert owners.loc["Wang", "win_rate"] == 1
    assert owners.loc["Zhao", "pipeline_amount"] == 400 and math.isnan(owners.loc["Zhao", "revenue"])
    # coverage: the owner's pipeline over the next-quarter target of the accounts the owner holds
    assert owners.loc["Li", "pipeline_coverage"] == pytest.approx(200 / (1000 + 400))
    assert owners.loc["Wang", "pipeline_coverage"] == pytest.approx(100 / 500)
    assert math.isnan(owners.loc["Zhao", "pipeline_coverage"])
    # every other level follows the account: each opportunity once at every level
    assert account_kpis(results, "A1")["pipeline_amount"] == 500
    company = results.kpi_table("company").loc["all"]
    for kpi in ("pipeline_amount", "weighted_pipeline", "won_amount"):
        assert owners[kpi].sum() == pytest.approx(company[kpi]), kpi


def test_key_accounts_per_owner():
    results = _results()
    # tiers on T4Q revenue 920 / 400 / 150: A1 is A, A2 is B (key accounts), A3 is C
    owners = results.kpi_table("owner")
    assert owners.loc["Li", "key_accounts"] == 1 and owners.loc["Li", "account_managers"] == 1
    east = results.kpi_table("region").loc["East"]
    assert east["key_accounts"] == 2 and east["account_managers"] == 2 and east["key_accounts_per_owner"] == 1
    company = results.kpi_table("company").loc["all"]
    assert company["account_managers"] == 2  # Li counts once though in two regions; Zhao holds no account
    assert company["key_accounts_per_owner"] == 1


def test_owner_scorecard_rows_add_up_to_their_region():
    results = _results()
    card = results.owner_scorecard
    east = card[card["region"] == "East"]
    assert east["owner"].tolist()[:3] == ["Li", "Wang", "Zhao"] and east["total"].tolist() == [False] * 3 + [True]
    li = east[east["owner"] == "Li"].iloc[0]
    assert li["revenue"] == 920 and li["pipeline_amount"] == 0  # Li's East accounts only; O4 is in South
    assert li["kam_capacity"] == 50
    south_li = card[(card["region"] == "South") & (card["owner"] == "Li")].iloc[0]
    assert south_li["pipeline_amount"] == 200 and south_li["revenue"] == 150
    for region in ("East", "South"):
        total = card[(card["region"] == region) & card["total"]].iloc[0]
        kpis = results.kpi_table("region").loc[region]
        for kpi in SCORECARD_KPIS:
            expected, shown = kpis[kpi], total[kpi]
            assert (math.isnan(expected) and math.isnan(shown)) or shown == pytest.approx(expected), (region, kpi)
    east_total = east[east["total"]].iloc[0]
    assert east_total["pipeline_amount"] == 500 and east_total["pipeline_coverage"] == pytest.approx(500 / 1500)
