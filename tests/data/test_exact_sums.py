"""Money and quantity totals are exact decimal sums: the same on every run, whatever order DuckDB adds in."""

import numpy as np
import pandas as pd
import pytest

from kamreport.errors import ParamsError
from kamreport.facts import build_facts
from tests.builders import accounts, params, present, table


def _sales(account_id: list[str], revenue: list[float], date: list[str] | None = None) -> dict[str, pd.DataFrame]:
    return {
        "accounts": accounts(*sorted(set(account_id))),
        "sales": table(
            "sales",
            account_id=account_id,
            date=date or ["2026-07-01"] * len(account_id),
            revenue=revenue,
            product_code=["P1"] * len(account_id),
        ),
    }


def test_a_total_is_the_decimal_sum_not_the_float_one():
    # 0.1 + 0.2 + 0.3 added as floats is 0.6000000000000001; the lines' total is 0.6
    tables = _sales(["K1"] * 3, [0.1, 0.2, 0.3])
    facts = build_facts(tables, present(tables))

    assert facts.sales_month["revenue"].tolist() == [0.6]
    assert facts.sales_week["revenue"].tolist() == [0.6]


def test_large_and_small_values_add_up_exactly():
    # a total of two hundred trillion keeps its quarter; a negative line stays negative
    tables = _sales(["K1", "K1", "K2"], [2e14, 0.25, -0.05])
    facts = build_facts(tables, present(tables))

    assert facts.sales_month[["account_id", "revenue"]].values.tolist() == [["K1", 200000000000000.25], ["K2", -0.05]]


def test_many_lines_add_up_to_the_exact_total_whichever_thread_adds_them():
    # 600,000 lines: DuckDB splits them over its threads, which finish in any order
    rng = np.random.default_rng(7)
    cents = rng.integers(-5_000, 2_000_000, size=600_000)
    ids = np.array(["K1", "K2", "K3"])[rng.integers(0, 3, size=len(cents))]
    tables = _sales(list(ids), list(cents / 100))
    facts = build_facts(tables, present(tables))

    expected = {k: int(cents[ids == k].sum()) / 100 for k in ("K1", "K2", "K3")}  # integer cents: exact
    assert dict(zip(facts.sales_month["account_id"], facts.sales_month["revenue"], strict=True)) == expected
    again = build_facts(tables, present(tables))
    pd.testing.assert_frame_equal(again.sales_month, facts.sales_month, check_exact=True)


def test_receivables_buckets_add_up_exactly():
    # three invoices of 0.1, 0.2 and 0.3 open at the quarter's end, all 1-30 days past due
    tables = {
        "accounts": accounts("K1"),
        "sales": table("sales", account_id=["K1"], date=["2026-09-30"], revenue=[1.0], product_code=["P1"]),
        "receivables": table(
            "receivables",
            account_id=["K1"] * 3,
            invoice_id=["I1", "I2", "I3"],
            invoice_date=["2026-08-01"] * 3,
            due_date=["2026-09-15"] * 3,
            amount=[0.1, 0.2, 0.3],
        ),
    }
    facts = build_facts(tables, present(tables))
    end = facts.receivables[facts.receivables["quarter"] == "2026Q3"].iloc[0]

    assert (end["ar_open"], end["ar_overdue"], end["ar_aging_0_30"], end["ar_not_due"]) == (0.6, 0.6, 0.6, 0.0)


def test_the_largest_number_a_params_file_may_allow_keeps_every_total_in_38_digits():
    assert params(validation={"max_abs_number": 1e15}).validation.max_abs_number == 1e15
    with pytest.raises(ParamsError, match="max_abs_number"):
        params(validation={"max_abs_number": 1e16})
