"""The plan-of-record figures on hand-made data: forecasts up the hierarchy, open bids, segments (issue 17)."""

import math

import pytest
from builders import accounts, compute_results, table


def _forecasts():
    rows = [  # (level, key or account, category, version, amount)
        ("account", "K1", "commit", "2026-06-10", 1000.0),
        ("account", "K1", "commit", "2026-08-01", 900.0),  # the later version counts
        ("account", "K2", "commit", "2026-06-10", 500.0),
        ("account", "K3", "commit", "2026-06-10", 300.0),
        ("owner", "Li", "commit", "2026-06-20", 1500.0),
        ("owner", "Li", "best_case", "2026-06-20", 1800.0),
        ("owner", "Wang", "commit", "2026-06-20", 280.0),
        ("region", "East", "commit", "2026-06-25", 1700.0),
        ("region", "East", "commit", "2026-07-05", 1900.0),
        ("company", None, "commit", "2026-06-30", 2000.0),
    ]
    return table(
        "forecasts",
        period=["2026Q3"] * len(rows),
        level=[r[0] for r in rows],
        account_id=[r[1] if r[0] == "account" else None for r in rows],
        key=[r[1] if r[0] in ("owner", "region") else None for r in rows],
        category=[r[2] for r in rows],
        version=[r[3] for r in rows],
        forecast_revenue=[r[4] for r in rows],
    )


def _results(**extra):
    accts = accounts(
        "K1",
        "K2",
        "K3",
        owner=["Li", "Li", "Wang"],
        segment=["Auto", "Auto", None],
        potential_monthly=[10.0, 20.0, 30.0],
    )
    sales = table("sales", date=["2026-07-01"] * 3, account_id=["K1", "K2", "K3"], revenue=[1000.0, 400.0, 250.0])
    return compute_results(accounts=accts, sales=sales, **extra)


def test_manager_adjustment_is_the_levels_commit_minus_the_level_below():
    frame = _results(forecasts=_forecasts()).forecast_hierarchy
    rows = frame[frame["period"] == "2026Q3"].set_index(["level", "key"])
    li, wang, east, company = (
        rows.loc[("owner", "Li")],
        rows.loc[("owner", "Wang")],
        rows.loc[("region", "East")],
        rows.loc[("company", "all")],
    )
    assert li["below"] == 900 + 500 and li["adjustment"] == 1500 - (900 + 500)
    assert li["best_case"] == 1800 and math.isnan(li["pipeline"])
    assert wang["below"] == 300 and wang["adjustment"] == -20
    assert east["commit"] == 1900 and east["below"] == 1500 + 280 and east["adjustment"] == 1900 - 1780
    assert company["below"] == 1900 and company["adjustment"] == 100
    for row in (li, wang, east, company):
        assert row["adjustment"] == row["commit"] - row["below"]
    # actual revenue of each level's accounts, and the commit against it
    assert li["actual"] == 1400 and east["actual"] == 1650 and company["actual"] == 1650
    assert li["commit_vs_actual"] == pytest.approx(1500 / 1400 - 1)
    assert wang["region"] == "East" and rows.loc[("account", "K1"), "commit"] == 900


def test_open_bids_by_impact_and_control():
    opportunities = table(
        "opportunities",
        opportunity_id=["O1", "O2", "O3"],
        account_id=["K1", "K2", "K3"],
        owner=["Li", "Li", "Wang"],
        stage=[3, 3, 8],
        amount=[100.0, 200.0, 400.0],
        status=["open", "open", "won"],
        close_date=[None, None, "2026-08-01"],
    )
    bids = table(
        "bids",
        opportunity_id=["O1", "O2", "O3"],
        submitted=["2026-07-01"] * 3,
        control=["over_80", "over_80", "30_60"],
        impact=["high", None, "low"],
        result=["open", "open", "won"],
        decided=[None, None, "2026-08-01"],
    )
    frame = _results(opportunities=opportunities, bids=bids).open_bids
    east = frame[(frame["level"] == "region") & (frame["key"] == "East")].set_index(["impact", "control"])
    assert east.loc[("high", "over_80"), "bids"] == 1 and east.loc[("high", "over_80"), "amount"] == 100
    assert east.loc[("unknown", "over_80"), "bids"] == 1  # a bid without an impact
    assert east["bids"].sum() == 2  # the won bid is not open
    assert east.loc[("low", "30_60"), "bids"] == 0


def test_segments_revenue_share_of_wallet_and_potential():
    demand = table("demand", period=["2026Q3"] * 2, account_id=["K1", "K2"], total_demand=[2000.0, 1000.0])
    frame = _results(demand=demand).segments
    company = frame[frame["level"] == "company"].set_index("segment", drop=False)
    auto = company.loc["Auto"]
    assert auto["accounts"] == 2 and auto["revenue"] == 1400 and auto["share"] == pytest.approx(1400 / 1650)
    assert auto["share_of_wallet"] == pytest.approx(1400 / 3000) and auto["potential_monthly"] == 30
    unknown = company[company["segment"].isna()].iloc[0]  # an account without a segment
    assert unknown["revenue"] == 250 and math.isnan(unknown["share_of_wallet"])
