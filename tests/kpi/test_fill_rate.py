import math

import pytest
from builders import account_kpis, accounts, compute_results, facts, params, table

from kamreport.compute import compute


def _orders():
    return table(
        "orders",
        order_id=["O1", "O1", "O2", "O3", "O4", "O5"],
        line_no=[1, 2, 1, 1, 1, 1],
        account_id=["A1"] * 6,
        order_date=["2026-07-01", "2026-07-01", "2026-08-01", "2026-08-01", "2026-09-01", "2026-06-30"],
        qty_ordered=[10, 10, 5, 4, 2, 100],
        qty_delivered=[10, 6, 7, 4, 2, 0],
        requested_date=["2026-07-10", "2026-07-10", "2026-08-10", "2026-08-10", None, "2026-07-01"],
        delivered_date=["2026-07-09", "2026-07-09", "2026-08-10", "2026-08-12", "2026-09-05", None],
    )


def test_fill_rate_partial_over_and_late_deliveries():
    k = account_kpis(
        compute_results(
            accounts=accounts("A1"),
            sales=table("sales", date=["2026-07-01"], account_id=["A1"], revenue=[1]),
            orders=_orders(),
        ),
        "A1",
    )
    assert k["qty_ordered"] == 31  # O5 was ordered in 2026Q2
    assert k["fill_rate"] == pytest.approx((10 + 6 + 5 + 4 + 2) / 31)  # over-delivery counts as ordered
    # OTIF over lines with a requested date: O1/1 yes, O1/2 partial, O2 over-delivered on time yes, O3 late
    assert k["otif_rate"] == pytest.approx(2 / 4)


def test_absent_orders_table_is_missing():
    k = account_kpis(
        compute_results(
            accounts=accounts("A1"), sales=table("sales", date=["2026-07-01"], account_id=["A1"], revenue=[1])
        ),
        "A1",
    )
    assert math.isnan(k["qty_ordered"]) and math.isnan(k["fill_rate"]) and math.isnan(k["otif_rate"])


def test_no_kpi_is_infinite_when_a_price_over_a_near_zero_quantity_overflows():
    """860 over a quantity of 1e-305 is a finite 8.6e307 per unit; times 4 unfilled units it overflows: missing.

    The facts' sums count a quantity to 12 places, so 1e-305 sold is none sold there (no unit
    price at all); the month's quantity is set on the facts to reach the KPIs' own guard.
    """
    sales = table("sales", date=["2026-07-01"], account_id=["A1"], revenue=[860.0], quantity=[1e-305])
    tables = {"accounts": accounts("A1"), "sales": sales, "orders": _orders()}
    built = facts(**tables)
    assert built.sales_month["quantity"].tolist() == [0.0]
    assert math.isnan(account_kpis(compute(built, params()), "A1")["unit_price"])
    built.sales_month["quantity"] = 1e-305
    results = compute(built, params())
    k = account_kpis(results, "A1")
    assert k["unit_price"] == pytest.approx(8.6e307)
    assert k["qty_unfilled"] == 4 and math.isnan(k["unfilled_value"])  # not inf
    company = results.kpi_table("company").loc["all"]
    assert not any(math.isinf(v) for v in company.to_numpy(dtype=float))
