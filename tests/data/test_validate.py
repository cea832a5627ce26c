"""What bad input gets: fatal errors, rows set aside with reasons, nothing lost."""

import json

import pytest
from builders import reasons, write_params

from kamreport.data.validate import load_and_validate
from kamreport.errors import InputError, RejectLimitError
from kamreport.params import load_params

ACCOUNTS = """account_id,account_name,region,owner,status,potential_monthly
A1,"=HYPERLINK(""http://x"",""y"")",East,王芳,active,1000
A2,<b>Bold</b>,South,Li,,
A3,Neg Potential,East,Li,active,-5
A4,Odd Status,East,Li,pending,
A5,,East,Li,active,
"""

SALES = """date,account_id,revenue,quantity
2026-07-01,A1,100,1
2026-07-02,A2,50,2
31/02/2026,A1,10,1
2026-07-03,A1,12,"12,3.4"
2026-07-03,A1,abc,1
2026-07-04,ZZ999,5,1
2026-07-05,,5,1
2026-07-01,A1,100,1
2026-07-06,A1,7,1,surplus
"""

ORDERS = """order_id,line_no,account_id,order_date,qty_ordered,qty_delivered
O1,1,A1,2026-07-01,10,10
O1,2,A1,2026-07-01,-3,0
O1,1,A1,2026-07-02,7,7
"""

OPPS = """opportunity_id,account_id,owner,stage,amount,status
P1,A1,Li,3,100,open
P2,A1,Li,9,100,open
"""

SPEND = """date,account_id,amount,spend_type
2026-07-01,A1,10,promotion
2026-07-01,A1,10,bribe
"""


def _files(tmp_path, **overrides):
    texts = {"accounts": ACCOUNTS, "sales": SALES, "orders": ORDERS, "opportunities": OPPS, "spend": SPEND, **overrides}
    paths = {}
    for name, text in texts.items():
        if text is None:
            continue
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def _validate(tmp_path, allow=True, **overrides):
    params = load_params(write_params(tmp_path, _files(tmp_path, **overrides), validation={"allow_rejects": allow}))
    return load_and_validate(params)


def test_every_row_problem_is_set_aside_with_its_reason(tmp_path):
    result = _validate(tmp_path)
    assert reasons(result, "accounts") == {6: "account_name: empty (required)"}
    # a bad optional field of an account is blanked and noted: the account stays
    assert reasons(result, "accounts", "note") == {
        4: "potential_monthly below 0: '-5.0' — left blank, the row is kept",
        5: "status not one of active, closed: 'pending' — left blank, the row is kept",
    }
    sales = reasons(result, "sales")
    assert sales[4] == "date: cannot read '31/02/2026' as date"
    assert sales[5] == "quantity: cannot read '12,3.4' as float"
    assert sales[6] == "revenue: cannot read 'abc' as float"
    assert sales[7] == "unknown account_id 'ZZ999'"
    assert sales[8] == "account_id: empty (required)"
    assert sales[9] == "exact duplicate of row 2"
    assert sales[10] == "line has 5 fields, the header has 4"
    assert reasons(result, "orders") == {
        3: "qty_ordered not above 0: '-3.0'",
        4: "duplicate order_id, line_no of row 2",
    }
    assert reasons(result, "opportunities") == {3: "stage above 8: '9'"}
    assert reasons(result, "spend") == {
        3: "spend_type not one of fixed_fee, promotion, display, rebate, other: 'bribe'"
    }


def test_set_aside_rows_are_kept_whole_and_unchanged(tmp_path):
    result = _validate(tmp_path)
    q = result.quality
    row = q[(q["table"] == "sales") & (q["source_row"] == 4)].iloc[0]
    assert json.loads(row["row"]) == {"date": "31/02/2026", "account_id": "A1", "revenue": "10", "quantity": "1"}
    assert row["source_file"].endswith("sales.csv")


def test_rows_reconcile_per_table(tmp_path):
    result = _validate(tmp_path)
    q = result.quality
    for name, report in result.reports.items():
        set_aside = int(((q["table"] == name) & (q["kind"] == "set_aside")).sum())
        assert report.rows_read == report.rows_used + report.rows_set_aside
        assert report.rows_set_aside == set_aside
        assert len(result.tables[name]) == report.rows_used
    assert result.reports["sales"].rows_read == 9 and result.reports["sales"].rows_used == 2


def test_a_line_that_does_not_split_is_kept_as_read(tmp_path):
    result = _validate(tmp_path)
    q = result.quality
    row = q[(q["table"] == "sales") & (q["source_row"] == 10)].iloc[0]
    assert json.loads(row["row"]) == {"line": "2026-07-06,A1,7,1,surplus"}


def test_text_is_kept_exactly(tmp_path):
    result = _validate(tmp_path)
    names = result.tables["accounts"].set_index("account_id")["account_name"]
    assert names["A1"] == '=HYPERLINK("http://x","y")'
    assert names["A2"] == "<b>Bold</b>"
    assert result.tables["accounts"].set_index("account_id").loc["A2", "status"] == "active"  # default


def test_duplicate_account_id_is_fatal(tmp_path):
    text = "account_id,account_name,region,owner\nA1,x,East,Li\nA1,y,East,Li\n"
    with pytest.raises(InputError) as info:
        _validate(tmp_path, accounts=text)
    message = str(info.value)
    assert (
        "accounts" in message
        and "accounts.csv" in message
        and "duplicate account_id" in message
        and "'A1' (row 3)" in message
    )


def test_duplicate_opportunity_id_is_fatal(tmp_path):
    text = "opportunity_id,account_id,owner,stage,amount,status\nP1,A1,Li,3,100,open\nP1,A1,Li,4,100,open\n"
    with pytest.raises(InputError, match=r"opportunities .*duplicate opportunity_id: 'P1' \(row 3\)"):
        _validate(tmp_path, opportunities=text)


def test_required_table_missing_is_fatal(tmp_path):
    with pytest.raises(InputError, match=r"table sales is required .* data\.tables\.sales"):
        _validate(tmp_path, sales=None)


def test_missing_file_is_fatal(tmp_path):
    paths = _files(tmp_path)
    paths["visits"] = tmp_path / "nope.csv"
    with pytest.raises(InputError, match=r"table visits: file not found: .*nope\.csv"):
        load_and_validate(load_params(write_params(tmp_path, paths)))


def test_reject_limit_and_allow_rejects(tmp_path):
    with pytest.raises(RejectLimitError) as info:
        _validate(tmp_path, allow=False)
    message = str(info.value)
    assert "sales lost 7 of 9 rows (77.8%)" in message and "--allow-rejects" in message
    assert len(info.value.quality) > 0  # the rows are there to be written
    assert _validate(tmp_path, allow=True).reports["sales"].rows_set_aside == 7


def test_missing_cost_is_noted_not_set_aside(tmp_path):
    sales = "date,account_id,revenue,cost\n2026-07-01,A1,100,\n2026-07-02,A1,100,50\n"
    result = _validate(tmp_path, sales=sales)
    notes = result.quality[(result.quality["kind"] == "note") & (result.quality["table"] == "sales")]
    assert notes["reason"].tolist() == ["1 sales rows have no cost: left out of cost, gross profit and margin"]
    assert result.reports["sales"].rows_used == 2


def test_messy_demo_data_reconciles(tmp_path):
    """Every row of the messy demo data is either used or in data_quality.csv, for the reason planted."""
    from kamreport.demo import DEMO_TABLES, generate_demo, write_demo

    demo = generate_demo(n_accounts=120, messy=True)
    expected, kept = demo["_expected_rejects"], demo["_expected_notes"]
    paths = write_demo(tmp_path / "data", n_accounts=120, messy=True, fmt="csv")
    result = load_and_validate(load_params(write_params(tmp_path, {t: paths[t] for t in DEMO_TABLES})))
    q = result.quality[result.quality["kind"] == "set_aside"]
    noted = result.quality[(result.quality["kind"] == "note") & result.quality["source_row"].notna()]
    for name, report in result.reports.items():
        assert report.rows_read == report.rows_used + report.rows_set_aside, name
        assert report.rows_set_aside == int((q["table"] == name).sum()), name
        assert report.rows_set_aside == expected.get(name, 0), name
        assert noted[noted["table"] == name]["source_row"].nunique() == kept.get(name, 0), name
        assert len(result.tables[name]) == report.rows_used
