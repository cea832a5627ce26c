"""Receivables at the period's last day: aging by days past due, DSO and credit use, by hand."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, facts, table

# 2026Q3 ends on 2026-09-30 and has 31 + 31 + 30 = 92 days.
DAYS_Q3 = 92


def _receivables():
    rows = [
        # account, invoice, amount, due, paid
        ("A1", "I1", 100, "2026-10-15", None),  # not yet due
        ("A1", "I2", 200, "2026-09-30", None),  # due on the last day: not yet overdue
        ("A1", "I3", 50, "2026-09-29", None),  # 1 day past due
        ("A1", "I4", 70, "2026-08-31", None),  # 30 days
        ("A1", "I5", 30, "2026-08-30", None),  # 31 days
        ("A1", "I6", 40, "2026-07-02", None),  # 90 days
        ("A1", "I7", 60, "2026-07-01", None),  # 91 days
        ("A1", "I8", 999, "2026-07-01", "2026-09-15"),  # paid before the last day
        ("A2", "I9", 400, "2026-09-01", None),  # 29 days
        ("A3", "I10", 300, "2026-12-01", None),  # not yet due
    ]
    account, invoice, amount, due, paid = zip(*rows, strict=True)
    return table(
        "receivables",
        invoice_id=list(invoice),
        account_id=list(account),
        invoice_date=["2026-06-01"] * len(rows),
        amount=list(amount),
        due_date=list(due),
        paid_date=list(paid),
    )


def _results():
    accts = accounts(
        "A1",
        "A2",
        "A3",
        region=["East", "East", "South"],
        owner=["Li", "Li", "Wang"],
        credit_limit=[1000.0, None, 250.0],
    )
    sales = table("sales", date=["2026-08-01"] * 3, account_id=["A1", "A2", "A3"], revenue=[920.0, 400.0, 150.0])
    return compute_results(accounts=accts, sales=sales, receivables=_receivables())


def test_aging_buckets_by_days_past_due():
    k = account_kpis(_results(), "A1")
    assert k["ar_open"] == 550
    assert k["ar_not_due"] == 300  # I1 and I2: "0-30" does not include what is not yet due
    assert k["ar_aging_0_30"] == 50 + 70
    assert k["ar_aging_31_60"] == 30
    assert k["ar_aging_61_90"] == 40
    assert k["ar_aging_over_90"] == 60
    assert k["ar_overdue"] == 250 == 120 + 30 + 40 + 60
    assert k["ar_not_due"] + k["ar_overdue"] == k["ar_open"]


def test_dso_by_hand_at_every_level():
    results = _results()
    assert account_kpis(results, "A1")["dso_days"] == pytest.approx(550 / 920 * DAYS_Q3)
    assert account_kpis(results, "A3")["dso_days"] == pytest.approx(300 / 150 * DAYS_Q3)
    east = results.kpi_table("region").loc["East"]
    assert east["dso_days"] == pytest.approx((550 + 400) / (920 + 400) * DAYS_Q3)
    company = results.kpi_table("company").loc["all"]
    assert company["dso_days"] == pytest.approx(1250 / 1470 * DAYS_Q3)
    # the quarter before has no revenue: no DSO, never infinity
    assert math.isnan(results.kpi_table("company", "2026Q2").loc["all", "dso_days"])


def test_credit_utilisation_sums_receivables_and_limits_over_the_accounts_with_a_limit():
    results = _results()
    assert account_kpis(results, "A1")["credit_utilization"] == pytest.approx(0.55)
    assert math.isnan(account_kpis(results, "A2")["credit_utilization"])  # no limit
    # Li holds A1 (limit 1,000) and A2 (no limit): A2's 400 counts in neither sum, not 950 / 1,000
    assert results.kpi_table("owner").loc["Li", "credit_utilization"] == pytest.approx(550 / 1000)
    assert results.kpi_table("region").loc["East", "credit_utilization"] == pytest.approx(0.55)
    assert results.kpi_table("company").loc["all", "credit_utilization"] == pytest.approx((550 + 300) / (1000 + 250))


def test_accounts_over_their_credit_limit():
    frame = _results().over_credit_limit
    assert frame["account_id"].tolist() == ["A3"]
    row = frame.iloc[0]
    assert row["credit_limit"] == 250 and row["ar_open"] == 300 and row["over_limit"] == 50
    assert row["credit_utilization"] == pytest.approx(1.2) and row["region"] == "South" and row["owner"] == "Wang"


def test_open_receivables_at_quarter_ends_by_age():
    """The as-of pass: open at a quarter's last day iff invoiced by then and not yet paid (paid that day is paid)."""
    receivables = table(
        "receivables",
        invoice_id=["R1", "R2", "R3", "R4", "R5"],
        account_id=["A1", "A1", "A2", "A1", "A2"],
        invoice_date=["2026-06-30", "2026-04-10", "2026-05-01", "2026-08-15", "2026-09-01"],
        amount=[10, 20, 50, 40, 70],
        due_date=["2026-07-30", "2026-05-10", "2026-05-31", "2026-09-14", "2026-10-01"],
        paid_date=["2026-09-30", "2026-10-01", "2026-05-20", None, "2026-08-01"],  # R5 paid before it was invoiced
    )
    sales = table("sales", date=["2026-09-10"], account_id=["A1"], revenue=[1])
    got = facts(accounts=accounts("A1", "A2"), sales=sales, receivables=receivables).receivables
    got = got.set_index(["account_id", "quarter"])
    assert list(got.index) == [("A1", "2026Q2"), ("A1", "2026Q3")]  # R3 and R5 were never open at a quarter end
    q2, q3 = got.loc[("A1", "2026Q2")], got.loc[("A1", "2026Q3")]
    # 2026-06-30: R1 (invoiced that day, not due) and R2 (51 days past 2026-05-10)
    assert (q2["ar_open"], q2["ar_not_due"], q2["ar_overdue"], q2["ar_aging_31_60"]) == (30, 10, 20, 20)
    assert q2["ar_aging_0_30"] == q2["ar_aging_61_90"] == q2["ar_aging_over_90"] == 0
    # 2026-09-30: R1 paid that very day; R2 143 days past due, R4 16 days
    assert (q3["ar_open"], q3["ar_not_due"], q3["ar_overdue"]) == (60, 0, 60)
    assert (q3["ar_aging_0_30"], q3["ar_aging_31_60"], q3["ar_aging_61_90"], q3["ar_aging_over_90"]) == (40, 0, 0, 20)
