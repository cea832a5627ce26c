import math

import pytest
from builders import account_kpis, accounts, compute_results, table


def _accounts():
    return accounts("A1", "A2", "A3", status=["active", "active", "closed"])


def _sales():
    # A1 holds 90 % of the T4Q revenue (tier A: 12 visits), A2 10 % (tier C: 2), A3 closed
    return table(
        "sales", date=["2026-07-01", "2026-07-01", "2026-01-01"], account_id=["A1", "A2", "A3"], revenue=[900, 100, 50]
    )


def _visits():
    rows = [("A1", True, "completed", True, 1, 0)] * 13 + [
        ("A1", False, "completed", None, 2, 1)
    ]  # 14 completed, 1 unplanned
    rows += [("A1", True, "cancelled", None, 5, 5), ("A1", True, "missed", None, 0, 0)]
    rows += [("A2", True, "completed", False, 0, 0)]
    rows += [("A3", True, "completed", True, 0, 0)]
    ids, planned, status, success, promos, displays = zip(*rows, strict=True)
    return table(
        "visits",
        date=["2026-08-01"] * len(rows),
        account_id=list(ids),
        rep=["Li"] * len(rows),
        planned=list(planned),
        status=list(status),
        successful=list(success),
        promotions=list(promos),
        displays=list(displays),
    )


def test_execution_against_the_tier_policy():
    results = compute_results(accounts=_accounts(), sales=_sales(), visits=_visits())
    plan = results.accounts.set_index("account_id")
    assert plan.loc["A1", "tier"] == "A" and plan.loc["A2", "tier"] == "C"
    a1 = account_kpis(results, "A1")
    assert a1["visits_planned"] == 15
    assert a1["visits_completed"] == 14
    assert a1["visit_compliance"] == pytest.approx(13 / 15)  # the unplanned visit is not in it
    assert a1["visits_required"] == 12
    assert a1["frequency_attainment"] == 1.0  # 14 visits, capped at 12
    assert a1["visit_success_rate"] == pytest.approx(13 / 13)  # unrecorded success left out
    assert a1["displays"] == 1  # cancelled visits do not count
    assert math.isnan(a1["promotions"])  # promotions run are spend records: no spend table, none known
    company = results.kpi_table("company").loc["all"]
    assert company["visits_required"] == 12 + 2  # the closed account needs none
    assert company["frequency_attainment"] == pytest.approx((12 + 1) / (12 + 2))
    assert company["coverage"] == 1.0  # A3 is closed: not in coverage
    assert company["visit_success_rate"] == pytest.approx(14 / 15)


def test_coverage_counts_active_accounts_without_visits():
    visits = _visits()
    visits = visits[visits["account_id"] != "A2"]
    results = compute_results(accounts=_accounts(), sales=_sales(), visits=visits)
    company = results.kpi_table("company").loc["all"]
    assert company["coverage"] == 0.5
    assert company["frequency_attainment"] == pytest.approx(12 / 14)
    a2 = account_kpis(results, "A2")
    assert a2["visits_completed"] == 0 and math.isnan(a2["visit_compliance"])


def test_absent_visits_table_is_missing():
    k = account_kpis(compute_results(accounts=_accounts(), sales=_sales()), "A1")
    assert all(math.isnan(k[i]) for i in ("visits_completed", "frequency_attainment", "coverage", "visits_required"))
