import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _sales(dates, ids, revenue, **more):
    return table("sales", date=dates, account_id=ids, revenue=revenue, **more)


def test_returns_reduce_revenue_and_quantity():
    sales = _sales(["2026-07-01", "2026-07-20"], ["K1", "K1"], [100, -30], quantity=[5, -2])
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales))
    assert k["revenue"] == 70
    assert k["quantity"] == 3


def test_monthly_targets_of_the_quarter_are_summed():
    sales = _sales(["2026-07-01"], ["K1"], [90])
    targets = table(
        "targets",
        period=["2026-07", "2026-08", "2026-09", "2026-10"],
        account_id=["K1"] * 4,
        revenue_target=[10, 20, 30, 99],
    )
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales, targets=targets))
    assert k["revenue_target"] == 60
    assert k["attainment"] == pytest.approx(1.5)


def test_zero_target_and_absent_targets_are_missing_not_zero():
    sales = _sales(["2026-07-01", "2026-07-02"], ["K1", "K2"], [90, 10])
    targets = table("targets", period=["2026Q3"], account_id=["K1"], revenue_target=[0])
    results = compute_results(accounts=accounts("K1", "K2"), sales=sales, targets=targets)
    assert math.isnan(account_kpis(results, "K1")["attainment"])
    assert math.isnan(account_kpis(results, "K2")["revenue_target"])  # no target row for K2
    company = results.kpi_table("company").loc["all"]
    assert company["revenue_target"] == 0 and math.isnan(company["attainment"])
    without = account_kpis(compute_results(accounts=accounts("K1"), sales=_sales(["2026-07-01"], ["K1"], [5])))
    assert math.isnan(without["revenue_target"]) and math.isnan(without["attainment"])


def test_growth_against_pq_and_py_and_its_edges():
    sales = _sales(["2026-07-01", "2026-04-01", "2025-07-01"], ["K1"] * 3, [120, 100, 80])
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales))
    assert (k["revenue_pq"], k["revenue_py"]) == (100, 80)
    assert k["growth_qoq"] == pytest.approx(0.2)
    assert k["growth_yoy"] == pytest.approx(0.5)
    # no revenue last quarter, a net return a year ago: growth is missing, never inf
    sales = _sales(["2026-07-01", "2025-07-01"], ["K1"] * 2, [120, -10])
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales))
    assert math.isnan(k["growth_qoq"]) and math.isnan(k["growth_yoy"])


def test_high_margin_mix_and_absent_products():
    sales = _sales(["2026-07-01"] * 3, ["K1"] * 3, [40, 60, 100], product_code=["P1", "P2", "P9"])
    products = table("products", product_code=["P1", "P2"], high_margin=[True, False])
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales, products=products))
    assert k["high_margin_revenue"] == 40
    assert k["high_margin_mix"] == pytest.approx(0.2)  # P9 is unknown: not high-margin
    k = account_kpis(compute_results(accounts=accounts("K1"), sales=sales))
    assert math.isnan(k["high_margin_revenue"]) and math.isnan(k["high_margin_mix"])


def test_quarters_before_the_sales_data_starts_have_no_figure_not_zero():
    """Sales exported from October 2025: 2025Q3 has no figure, so 2026Q3's growth on last year has no base."""
    sales = _sales(["2025-10-03", "2026-04-10", "2026-07-01"], ["K1", "K1", "K2"], [80, 60, 90])
    results = compute_results(accounts=accounts("K1", "K2"), sales=sales)
    k1 = account_kpis(results, "K1")
    assert k1["revenue"] == 0  # the data covers 2026Q3: K1 bought nothing in it
    assert math.isnan(k1["revenue_py"]) and math.isnan(k1["growth_yoy"])  # no figure, not a zero
    assert k1["revenue_pq"] == 60 and k1["growth_qoq"] == -1
    assert account_kpis(results, "K2", "2025Q4")["revenue"] == 0  # covered: K2 had no lines yet
    assert math.isnan(account_kpis(results, "K1", "2025Q3")["revenue"])
    assert math.isnan(results.kpi_table("company", "2025Q3").loc["all"]["revenue"])  # a gap in the trend
    assert results.kpi_table("company", "2025Q4").loc["all"]["revenue"] == 80
