import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _sales():
    return table(
        "sales",
        date=["2026-07-25", "2026-07-03", "2026-08-30", "2026-09-10"],
        account_id=["A1", "A1", "A1", "A2"],
        revenue=[50, 50, 100, 50],
    )


def test_last_week_share_and_unbalanced_flag():
    results = compute_results(accounts=accounts("A1", "A2"), sales=_sales())
    a1 = account_kpis(results, "A1")
    assert a1["last_week_share"] == pytest.approx(150 / 200)
    assert a1["unbalanced"] == 1.0
    a2 = account_kpis(results, "A2")
    assert a2["last_week_share"] == 0 and a2["unbalanced"] == 0.0
    company = results.kpi_table("company").loc["all"]
    assert company["last_week_share"] == pytest.approx(150 / 250) and company["unbalanced"] == 1.0


def test_promotion_lead_times_and_promotions_run():
    """A promotion run is a spend record of type promotion, in the quarter it starts (booked, when no start)."""
    spend = table(
        "spend",
        date=["2026-07-01"] * 5 + ["2026-08-03", "2026-06-20", "2026-09-01"],
        account_id=["A1", "A1", "A1", "A1", "A2", "A1", "A1", "A1"],
        amount=[1, 1, 1, 1, 1, 1, 1, 1],
        spend_type=["promotion", "promotion", "promotion", "promotion", "display", "promotion", "promotion", "rebate"],
        submitted_date=["2026-06-21", "2026-05-17", "2026-06-19", None, "2026-01-01", None, "2026-06-01", None],
        start_date=["2026-07-01", "2026-07-06", "2026-07-01", "2026-07-01", "2026-07-01", None, "2026-07-15", None],
    )
    # the visit log's own promotion counts play no part in "promotions run"
    visits = table(
        "visits",
        date=["2026-07-02"],
        account_id=["A1"],
        rep=["Li"],
        planned=[True],
        status=["completed"],
        promotions=[7],
    )
    results = compute_results(accounts=accounts("A1", "A2"), sales=_sales(), spend=spend, visits=visits)
    k = account_kpis(results, "A1")
    # four starting in July, one booked in August without a start, one booked in June starting in July
    assert k["promotions"] == 6
    assert k["promo_lead_days_median"] == 28  # leads 10, 50, 12, 44 (two unknown): (12 + 44) / 2
    assert k["promo_on_time_share"] == pytest.approx(1 / 4)  # only 50 days is at least 45
    assert account_kpis(results, "A1", "2026Q2")["promotions"] == 0  # the June booking starts in July
    assert account_kpis(results, "A2")["promotions"] == 0


def test_forecast_accuracy_floored_at_zero():
    sales = table("sales", date=["2026-07-01"] * 4, account_id=["A1", "A2", "A3", "A4"], revenue=[100, 50, 30, 10])
    forecasts = table("forecasts", period=["2026Q3"] * 3, account_id=["A1", "A2", "A4"], forecast_revenue=[90, 70, 100])
    results = compute_results(accounts=accounts("A1", "A2", "A3", "A4"), sales=sales, forecasts=forecasts)
    assert account_kpis(results, "A1")["forecast_accuracy"] == pytest.approx(0.9)
    assert account_kpis(results, "A4")["forecast_accuracy"] == 0.0
    assert math.isnan(account_kpis(results, "A3")["forecast_accuracy"])
    company = results.kpi_table("company").loc["all"]
    assert company["forecast"] == 260
    assert company["forecast_accuracy"] == pytest.approx(1 - (10 + 20 + 90) / (100 + 50 + 10))


def test_receivables_at_period_end():
    receivables = table(
        "receivables",
        invoice_id=["I1", "I2", "I3", "I4", "I5"],
        account_id=["A1"] * 5,
        invoice_date=["2026-08-01", "2026-09-15", "2026-07-01", "2026-09-01", "2026-10-02"],
        amount=[100, 50, 70, 20, 999],
        due_date=["2026-08-31", "2026-10-15", "2026-07-31", "2026-09-30", "2026-11-01"],
        paid_date=[None, None, "2026-09-01", "2026-10-05", None],
    )
    accts = accounts("A1", "A2", credit_limit=[1000.0, None])
    results = compute_results(accounts=accts, sales=_sales(), receivables=receivables)
    k = account_kpis(results, "A1")
    assert k["ar_open"] == 170  # I1, I2, and I4 (paid after the period end)
    assert k["ar_overdue"] == 100  # only I1 was due before 2026-09-30
    assert k["overdue_ratio"] == pytest.approx(100 / 170)
    assert k["credit_utilization"] == pytest.approx(0.17)
    a2 = account_kpis(results, "A2")
    assert a2["ar_open"] == 0 and math.isnan(a2["overdue_ratio"]) and math.isnan(a2["credit_utilization"])


def _opportunities():
    return table(
        "opportunities",
        opportunity_id=["W1", "W2", "L1", "W0", "P1", "P2", "P3"],
        account_id=["A1"] * 7,
        owner=["Li"] * 7,
        stage=[8, 8, 5, 8, 3, 6, 4],
        amount=[100, 50, 80, 500, 100, 200, 300],
        status=["won", "won", "lost", "won", "open", "open", "open"],
        close_date=["2026-07-10", "2026-09-30", "2026-08-01", "2026-06-30", None, None, None],
        expected_close=[None, None, None, None, "2026-10-15", "2026-12-31", "2026-09-01"],
    )


def test_won_business_and_pipeline_against_next_quarter_targets():
    targets = table("targets", period=["2026Q4"], account_id=["A1"], revenue_target=[600])
    results = compute_results(accounts=accounts("A1"), sales=_sales(), opportunities=_opportunities(), targets=targets)
    k = account_kpis(results, "A1")
    assert k["won_amount"] == 150
    assert k["win_rate"] == pytest.approx(2 / 3)
    assert k["pipeline_amount"] == 300  # P3 is expected in P, not NQ
    assert k["weighted_pipeline"] == pytest.approx(100 * 0.2 + 200 * 0.7)
    assert k["next_quarter_target"] == 600
    assert k["pipeline_coverage"] == pytest.approx(0.5)


def test_pipeline_coverage_falls_back_to_the_plan_target():
    results = compute_results(accounts=accounts("A1"), sales=_sales(), opportunities=_opportunities())
    k = account_kpis(results, "A1")
    plan = results.accounts.set_index("account_id").loc["A1"]
    assert k["next_quarter_target"] == pytest.approx(plan["target_nq_reconciled"])
    assert k["pipeline_coverage"] == pytest.approx(300 / plan["target_nq_reconciled"])


def test_absent_opportunities_and_receivables_are_missing():
    k = account_kpis(compute_results(accounts=accounts("A1"), sales=_sales()), "A1")
    for kpi in ("won_amount", "win_rate", "pipeline_amount", "ar_open", "overdue_ratio", "promotions", "forecast"):
        assert math.isnan(k[kpi]), kpi
