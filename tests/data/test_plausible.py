"""Values that read but cannot be right: non-finite and absurd numbers, dates outside a plausible window."""

import numpy as np
import pandas as pd
import pytest
from builders import reasons, validate_files

from kamreport.errors import InputError
from kamreport.facts import build_run_facts
from kamreport.params import parse_params

HEADER = "date,account_id,revenue\n"


def test_non_finite_and_absurd_numbers_are_set_aside(tmp_path):
    text = HEADER + "".join(
        f"2026-07-01,A1,{v}\n" for v in ["10", "inf", "-Infinity", "NaN", "1e308", "-2e13", "9999999999999"]
    )
    result = validate_files(tmp_path, {"sales": text}, validation={"allow_rejects": True})
    assert reasons(result) == {
        3: "revenue: 'inf' is not a finite number",
        4: "revenue: '-inf' is not a finite number",
        5: "revenue: cannot read 'NaN' as float",
        6: "revenue: '1e+308' is beyond ±1e+13 (validation.max_abs_number)",
        7: "revenue: '-2e+13' is beyond ±1e+13 (validation.max_abs_number)",
    }
    revenue = result.tables["sales"]["revenue"]
    assert revenue.tolist() == [10.0, 9999999999999.0] and np.isfinite(revenue).all()
    report = result.reports["sales"]
    assert report.rows_read == 7 == report.rows_used + report.rows_set_aside


def test_no_fact_is_ever_infinite(tmp_path):
    text = HEADER + "2026-07-01,A1,10\n2026-07-02,A1,inf\n2026-07-03,A2,1e308\n"
    result = validate_files(tmp_path, {"sales": text}, validation={"allow_rejects": True})
    facts = build_run_facts(result, parse_params({"period": "2026Q3"}))
    assert facts.sales_month["revenue"].tolist() == [10.0]


def test_the_bound_is_a_param_and_applies_to_whole_numbers(tmp_path):
    text = HEADER + "2026-07-01,A1,10\n2026-07-01,A1,5000\n"
    visits = "date,account_id,rep,planned,status,promotions\n2026-07-01,A1,Li,true,completed,inf\n"
    result = validate_files(
        tmp_path, {"sales": text, "visits": visits}, validation={"allow_rejects": True, "max_abs_number": 1000}
    )
    assert reasons(result) == {3: "revenue: '5000' is beyond ±1000 (validation.max_abs_number)"}
    assert reasons(result, "visits") == {2: "promotions: 'inf' is not a finite number"}


def test_a_derived_column_dividing_by_zero_is_set_aside_not_infinite(tmp_path):
    text = "date,account_id,Price,Qty\n2026-07-01,A1,10,2\n2026-07-02,A1,10,0\n"
    (tmp_path / "s.csv").write_text(text)
    spec = {"path": "s.csv", "derive": {"revenue": "Price * Qty", "quantity": "Price / Qty"}}
    result = validate_files(tmp_path, {"sales": spec}, validation={"allow_rejects": True})
    assert reasons(result) == {3: "quantity: 'inf' is not a finite number"}


def test_event_dates_outside_the_plausible_window_are_set_aside(tmp_path):
    sales = HEADER + "2026-07-01,A1,1\n1899-12-31,A1,2\n1989-12-31,A1,3\n2027-10-01,A1,4\n2027-10-02,A1,5\n"
    receivables = (
        "invoice_id,account_id,invoice_date,amount,due_date,paid_date\n"
        "I1,A1,2026-07-01,100,2035-01-01,\n"  # a planned date far ahead: kept
        "I2,A1,2026-07-01,100,2026-08-01,2031-01-01\n"  # paid in 2031: an event, set aside
    )
    opportunities = (
        "opportunity_id,account_id,owner,stage,amount,status,expected_close\nP1,A1,Li,3,100,open,2031-06-30\n"
    )
    result = validate_files(
        tmp_path,
        {"sales": sales, "receivables": receivables, "opportunities": opportunities},
        validation={"allow_rejects": True},
    )
    assert reasons(result) == {
        3: "date: 1899-12-31 is before 1990-01-01 (validation.min_date)",
        4: "date: 1989-12-31 is before 1990-01-01 (validation.min_date)",
        6: "date: 2027-10-02 is more than 366 days after the period's end 2026-09-30 "
        "(validation.max_days_after_period)",
    }
    assert reasons(result, "receivables") == {
        3: "paid_date: 2031-01-01 is more than 366 days after the period's end 2026-09-30 "
        "(validation.max_days_after_period)"
    }
    assert result.reports["opportunities"].rows_set_aside == 0


def test_the_date_window_is_a_param(tmp_path):
    sales = HEADER + "2026-07-01,A1,1\n2020-01-01,A1,2\n2026-10-15,A1,3\n"
    result = validate_files(
        tmp_path,
        {"sales": sales},
        validation={"allow_rejects": True, "min_date": "2021-01-01", "max_days_after_period": 10},
    )
    assert set(reasons(result)) == {3, 4}


def test_data_as_of_never_passes_the_period_end(tmp_path):
    sales = HEADER + "2026-07-01,A1,1\n2026-12-15,A1,2\n"
    result = validate_files(tmp_path, {"sales": sales})
    assert build_run_facts(result, parse_params({"period": "2026Q3"})).as_of == "2026-09-30"
    assert build_run_facts(result, parse_params({"period": "2026Q4"})).as_of == "2026-12-15"


def test_a_period_without_sales_lines_stops_the_run(tmp_path):
    sales = HEADER + "2025-01-05,A1,1\n2026-06-30,A2,2\n"
    with pytest.raises(InputError) as info:
        validate_files(tmp_path, {"sales": sales})
    message = str(info.value)
    assert "period 2026Q3 (2026-07-01 to 2026-09-30) has no sales lines" in message
    assert "the sales lines cover 2025-01-05 to 2026-06-30 (2 lines)" in message and "sales.csv" in message


def test_a_header_only_sales_file_stops_the_run(tmp_path):
    with pytest.raises(InputError, match=r"period 2026Q3 .* no sales lines: the sales file has no data lines"):
        validate_files(tmp_path, {"sales": HEADER})


def test_excel_serial_and_parquet_dates_are_checked_too(tmp_path):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-07-01", "1900-01-01"]).astype("datetime64[us]"),
            "account_id": ["A1", "A1"],
            "revenue": [1.0, float("inf")],
        }
    )
    frame.to_parquet(tmp_path / "sales.parquet")
    result = validate_files(tmp_path, {"sales": {"path": "sales.parquet"}}, validation={"allow_rejects": True})
    assert reasons(result) == {
        2: "revenue: 'inf' is not a finite number; date: 1900-01-01 is before 1990-01-01 (validation.min_date)"
    }
