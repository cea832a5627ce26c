"""Trade spend by type, promotions run, and unfilled orders valued at the account's own price."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _sales():
    return table(
        "sales",
        date=["2026-07-10", "2026-08-10", "2026-08-10"],
        account_id=["A1", "A1", "A2"],
        revenue=[600.0, 320.0, 400.0],
        quantity=[30.0, 16.0, None],
    )


def test_trade_spend_by_type():
    spend = table(
        "spend",
        date=["2026-07-01", "2026-07-02", "2026-08-01", "2026-08-02", "2026-09-01", "2026-09-02", "2026-06-30"],
        account_id=["A1"] * 6 + ["A2"],
        amount=[100.0, 50.0, 25.0, 30.0, 20.0, 5.0, 999.0],
        spend_type=["fixed_fee", "promotion", "promotion", "display", "rebate", "other", "rebate"],
    )
    results = compute_results(accounts=accounts("A1", "A2"), sales=_sales(), spend=spend)
    k = account_kpis(results, "A1")
    assert (k["spend_fixed_fee"], k["spend_promotion"], k["spend_display"], k["spend_rebate"], k["spend_other"]) == (
        100,
        75,
        30,
        20,
        5,
    )
    assert k["trade_spend"] == 230
    company = results.kpi_table("company").loc["all"]
    assert company["spend_rebate"] == 20  # A2's rebate is in June
    assert account_kpis(results, "A2", "2026Q2")["spend_rebate"] == 999
    assert account_kpis(results, "A2")["spend_promotion"] == 0
    no_spend = account_kpis(compute_results(accounts=accounts("A1"), sales=_sales()), "A1")
    assert math.isnan(no_spend["spend_promotion"])


def test_unfilled_quantity_valued_at_the_accounts_average_unit_price():
    orders = table(
        "orders",
        order_id=["O1", "O1", "O2", "O3"],
        line_no=[1, 2, 1, 1],
        account_id=["A1", "A1", "A2", "A3"],
        order_date=["2026-07-05"] * 4,
        qty_ordered=[10.0, 5.0, 4.0, 2.0],
        qty_delivered=[7.0, 8.0, 0.0, 2.0],
    )
    results = compute_results(accounts=accounts("A1", "A2", "A3"), sales=_sales(), orders=orders)
    a1 = account_kpis(results, "A1")
    assert a1["unit_price"] == pytest.approx(920 / 46)  # 20 per unit
    assert a1["qty_unfilled"] == 3  # over-delivery on line 2 does not make up for line 1
    assert a1["unfilled_value"] == pytest.approx(3 * 20)
    a2 = account_kpis(results, "A2")
    assert a2["qty_unfilled"] == 4 and math.isnan(a2["unfilled_value"])  # no quantity sold: no price
    assert account_kpis(results, "A3")["unfilled_value"] == 0  # nothing missed, though nothing sold
    company = results.kpi_table("company").loc["all"]
    assert company["qty_unfilled"] == 7
    assert company["unfilled_value"] == pytest.approx(60)  # each account at its own price
