import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _sales():
    return table(
        "sales",
        date=["2026-07-01", "2025-07-01", "2026-07-01", "2026-07-01", "2025-07-01"],
        account_id=["A1", "A1", "A2", "A3", "A3"],
        revenue=[50, 40, 70, 60, 30],
    )


def _demand():
    return table(
        "demand",
        period=["2026Q3", "2025Q3", "2026Q3", "2025Q3"],
        account_id=["A1", "A1", "A3", "A4"],
        total_demand=[100, 80, 200, 10],
    )


def test_share_counts_only_accounts_with_demand():
    results = compute_results(accounts=accounts("A1", "A2", "A3", "A4"), sales=_sales(), demand=_demand())
    company = results.kpi_table("company").loc["all"]
    assert company["demand"] == 300
    assert company["share_of_wallet"] == pytest.approx((50 + 60) / 300)  # A2 has no demand: left out
    assert company["share_of_wallet_py"] == pytest.approx(40 / 90)  # PY: A1 and A4 have demand
    assert company["share_change_pp"] == pytest.approx(100 * (110 / 300 - 40 / 90))
    # E = accounts with demand in both P and PY = {A1}
    assert company["demand_growth_yoy"] == pytest.approx(100 / 80 - 1)
    assert company["growth_gap_pp"] == pytest.approx(100 * ((50 / 40 - 1) - (100 / 80 - 1)))
    assert math.isnan(account_kpis(results, "A2")["share_of_wallet"])
    assert math.isnan(account_kpis(results, "A3")["share_change_pp"])  # no PY demand


def test_growth_gap_negative_when_customer_grows_faster():
    sales = table("sales", date=["2026-07-01", "2025-07-01"], account_id=["A1", "A1"], revenue=[110, 100])
    demand = table("demand", period=["2026Q3", "2025Q3"], account_id=["A1", "A1"], total_demand=[300, 200])
    k = account_kpis(compute_results(accounts=accounts("A1"), sales=sales, demand=demand), "A1")
    assert k["growth_gap_pp"] == pytest.approx(100 * (0.10 - 0.50))


def test_no_demand_table_means_missing_share_and_unknown_position():
    results = compute_results(accounts=accounts("A1"), sales=_sales().iloc[:2])
    k = account_kpis(results, "A1")
    assert all(math.isnan(k[i]) for i in ("demand", "share_of_wallet", "share_change_pp", "demand_growth_yoy"))
    assert results.accounts.set_index("account_id").loc["A1", "position"] == "unknown"


def test_zero_demand_gives_missing_share():
    demand = table("demand", period=["2026Q3"], account_id=["A1"], total_demand=[0])
    k = account_kpis(compute_results(accounts=accounts("A1"), sales=_sales().iloc[:2], demand=demand), "A1")
    assert k["demand"] == 0 and math.isnan(k["share_of_wallet"])
