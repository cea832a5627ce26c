import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _sales():
    return table(
        "sales",
        date=["2026-07-01", "2026-07-02", "2026-07-03"],
        account_id=["A1", "A1", "A2"],
        revenue=[100, 50, 80],
        cost=[60, None, None],
        quantity=[10, 5, 4],
    )


def _spend():
    return table(
        "spend",
        date=["2026-07-10", "2026-04-10"],
        account_id=["A1", "A1"],
        amount=[10, 99],
        spend_type=["promotion", "rebate"],
    )


def test_profit_over_known_cost_and_spend():
    results = compute_results(accounts=accounts("A1", "A2"), sales=_sales(), spend=_spend())
    a1 = account_kpis(results, "A1")
    assert a1["cost"] == 60
    assert a1["gross_profit"] == 40
    assert a1["gross_margin"] == pytest.approx(0.4)  # over the revenue whose cost is known
    assert a1["trade_spend"] == 10
    assert a1["contribution"] == 30
    assert a1["contribution_margin"] == pytest.approx(30 / 150)
    assert a1["spend_efficiency"] == pytest.approx(1500)
    assert a1["volume_per_100_spend"] == pytest.approx(150)


def test_unknown_cost_is_missing_not_free():
    results = compute_results(accounts=accounts("A1", "A2"), sales=_sales(), spend=_spend())
    a2 = account_kpis(results, "A2")
    assert math.isnan(a2["cost"]) and math.isnan(a2["gross_profit"]) and math.isnan(a2["gross_margin"])
    assert a2["trade_spend"] == 0 and math.isnan(a2["spend_efficiency"])  # zero spend: no efficiency
    company = results.kpi_table("company").loc["all"]
    assert company["gross_profit"] == 40 and company["gross_margin"] == pytest.approx(0.4)


def test_absent_spend_and_cost_columns():
    sales = table("sales", date=["2026-07-01"], account_id=["A1"], revenue=[100])
    k = account_kpis(compute_results(accounts=accounts("A1"), sales=sales), "A1")
    for kpi in ("cost", "gross_profit", "gross_margin", "trade_spend", "contribution", "spend_efficiency"):
        assert math.isnan(k[kpi]), kpi
