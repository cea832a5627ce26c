"""Accounts: a bad optional field keeps the account, one customer under several ids, customers in several regions."""

import json
from datetime import datetime

import pandas as pd
import pytest
from builders import validate_files, write_params

from kamreport.data.customers import name_key
from kamreport.errors import InputError
from kamreport.params import load_params
from kamreport.report.chapters import chapter
from kamreport.report.sections.spread import region_spread
from kamreport.report.spec import build_section
from kamreport.report.views import Run
from kamreport.run.manifest import write_manifest
from kamreport.run.store import load_or_compute

SALES = "date,account_id,revenue\n2026-07-01,A1,100\n2026-07-02,A2,50\n2026-07-03,A3,7\n2026-07-04,A3,8\n"


def _kind(result, kind, table="accounts"):
    q = result.quality
    return q[(q["table"] == table) & (q["kind"] == kind)]


def test_a_bad_optional_field_keeps_the_account_and_its_sales(tmp_path):
    accounts = (
        "account_id,account_name,region,owner,status,potential_monthly,credit_limit\n"
        "A1,One,East,Li,active,1000,abc\n"
        "A2,Two,East,Li,dormant,-5,\n"
        "A3,Three,,Li,active,,\n"
    )
    result = validate_files(tmp_path, {"accounts": accounts, "sales": SALES}, validation={"allow_rejects": True})
    kept = result.tables["accounts"].set_index("account_id")
    assert list(kept.index) == ["A1", "A2"]
    assert pd.isna(kept.loc["A1", "credit_limit"]) and pd.isna(kept.loc["A2", "potential_monthly"])
    assert kept.loc["A2", "status"] == "active"  # blanked, then its default
    notes = {(int(r.source_row), r.reason) for r in _kind(result, "note").itertuples()}
    assert notes == {
        (2, "credit_limit: cannot read 'abc' as float — left blank, the row is kept"),
        (3, "status not one of active, closed: 'dormant' — left blank, the row is kept"),
        (3, "potential_monthly below 0: '-5.0' — left blank, the row is kept"),
    }
    assert result.reports["accounts"].rows_set_aside == 1
    assert result.tables["sales"]["revenue"].sum() == 150  # A1 and A2 keep their sales
    lines = _kind(result, "set_aside", "sales")
    assert lines["reason"].tolist() == ["account A3 set aside: region: empty (required)"] * 2
    assert result.reports["sales"].reasons == {"account set aside": 2}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Co., Ltd.", "ACME Inc"),
        ("苏州恒达精密模具有限公司 (Suzhou)", "苏州恒达精密模具（SUZHOU）"),
        ("Ｂｏｌｔ Ｇｍｂｈ", "bolt"),
        ("深圳通达股份有限公司", "深圳 通达 公司"),
    ],
)
def test_names_equal_once_width_case_punctuation_and_legal_forms_are_set_aside(a, b):
    keys = name_key(pd.Series([a, b, "Acme Tooling", "Co., Ltd."]))
    assert keys[0] == keys[1] and keys[2] != keys[0] and pd.isna(keys[3])


def test_likely_duplicate_customers_are_reported_not_merged(tmp_path):
    accounts = (
        "account_id,account_name,region,owner\n"
        "A1,Acme Co. Ltd.,East,Li\n"
        "A2,Bolt,East,Li\n"
        "A3,ACME INC,South,Wu\n"
        "A4,acme,South,Wu\n"
    )
    sales = "date,account_id,revenue\n2026-07-01,A1,100\n2026-07-02,A3,50\n2026-07-03,A4,1\n"
    result = validate_files(tmp_path, {"accounts": accounts, "sales": sales})
    rows = _kind(result, "possible_duplicate")
    assert rows["source_row"].tolist() == [4, 5]
    assert rows["reason"].iloc[0] == (
        "account A3 'ACME INC' may be the same customer as A1 'Acme Co. Ltd.' (names equal once width, case, "
        "spaces, punctuation and legal forms are set aside); if so, list it in data.merge"
    )
    assert result.reports["accounts"].rows_set_aside == 0 and len(result.tables["accounts"]) == 4
    assert result.tables["sales"]["account_id"].tolist() == ["A1", "A3", "A4"]  # nothing merged on a guess


def _merge_files(tmp_path, merge_text):
    accounts = "account_id,account_name,region,owner\nA1,Acme Ltd,East,Li\nA2,ACME,South,Wu\nA3,Bolt,East,Li\n"
    (tmp_path / "merge.csv").write_text(merge_text)
    return {"accounts": accounts, "sales": SALES.replace("A3,7", "A2,7")}


def test_the_merge_table_merges_listed_accounts_before_any_kpi(tmp_path):
    tables = _merge_files(tmp_path, "Customer,Merge into\nA2,A1\n")
    merge = {"path": "merge.csv", "columns": {"Customer": "account_id", "Merge into": "into"}}
    result = validate_files(tmp_path, tables, data={"merge": merge}, validation={"allow_rejects": True})
    assert result.tables["accounts"]["account_id"].tolist() == ["A1", "A3"]
    sales = result.tables["sales"]
    assert sales.groupby("account_id")["revenue"].sum().to_dict() == {"A1": 157.0, "A3": 8.0}
    report = result.reports["accounts"]
    assert report.rows_set_aside == 1 and report.rows_by_rule == 1 and report.reject_share == 0
    row = _kind(result, "set_aside").iloc[0]
    assert row["source_row"] == 3 and row["reason"] == "merged into A1 by data.merge: its rows count there"
    assert result.merged.to_dict("records") == [
        {
            "account_id": "A2",
            "account_name": "ACME",
            "into": "A1",
            "into_name": "Acme Ltd",
            "source_file": str(tmp_path / "merge.csv"),
            "source_row": 2,
        }
    ]
    assert _kind(result, "possible_duplicate").empty  # merged: no longer a likely duplicate


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("account_id,into\nA9,A1\n", r"data.merge \(merge.csv, row 2\): account 'A9' is not in accounts"),
        ("account_id,into\nA2,A2\n", r"row 2\): account 'A2' is merged into itself"),
        ("account_id,into\nA2,A1\nA2,A3\n", r"row 3\): account 'A2' is merged twice"),
        ("account_id,into\nA2,A1\nA1,A2\n", r"the merges go round in a circle \(A2 → A1 → A2\)"),
        ("account_id,into\nA2,\n", r"row 2\): account_id and into must both be given"),
    ],
)
def test_a_bad_merge_table_stops_the_run(tmp_path, text, message):
    tables = _merge_files(tmp_path, text)
    with pytest.raises(InputError, match=message):
        validate_files(tmp_path, tables, data={"merge": {"path": "merge.csv"}}, validation={"allow_rejects": True})


def test_chained_merges_end_in_the_last_account(tmp_path):
    tables = _merge_files(tmp_path, "account_id,into\nA2,A3\nA3,A1\n")
    result = validate_files(tmp_path, tables, data={"merge": {"path": "merge.csv"}}, validation={"allow_rejects": True})
    assert result.tables["accounts"]["account_id"].tolist() == ["A1"]
    assert set(result.tables["sales"]["account_id"]) == {"A1"} and result.tables["sales"]["revenue"].sum() == 165


LINES = """Order Date,Cust,Customer,Region,Sales
2026-07-01,C1,Acme,West,100
2026-07-05,C1,Acme,East,300
2026-08-01,C2,Bolt,East,50
2026-09-01,C1,Acme,West,10
2026-09-02,C3,Crane,West,20
2026-05-01,C3,Crane,East,5
"""


def _spread_params(tmp_path, **extra):
    (tmp_path / "lines.csv").write_text(LINES)
    tables = {
        "sales": {"path": "lines.csv", "columns": {"Order Date": "date", "Cust": "account_id", "Sales": "revenue"}},
        "accounts": {
            "from_table": "sales",
            "columns": {"Cust": "account_id", "Customer": "account_name", "Region": "region"},
            "derive": {"owner": "'Li'"},
        },
    }
    return load_params(write_params(tmp_path, {}, data={"base_dir": str(tmp_path), "tables": tables}, **extra))


def test_accounts_buying_in_several_regions_show_where_their_other_revenue_was(tmp_path):
    computed = load_or_compute(_spread_params(tmp_path))
    spread = computed.facts.region_spread
    c1 = spread[(spread["account_id"] == "C1") & (spread["quarter"] == "2026Q3")]
    assert c1.set_index("region")["revenue"].to_dict() == {"East": 300.0, "West": 110.0}
    assert set(c1["counted_in"]) == {"West"}  # latest line: 2026-09-01 in West

    run = Run(computed, "en")
    assert region_spread(run.region("West")).to_dict("records") == [
        {"account_id": "C1", "account_name": "Acme", "counted_in": "West", "bought_in": "East", "revenue": 300.0}
    ]
    assert region_spread(run.region("East"))["account_id"].tolist() == ["C1"]  # East's revenue counted in West
    section = build_section(chapter("data_quality"), run.region("West"))
    table = section.table("region_spread")
    assert table.frame["bought_in"].tolist() == ["East"]
    assert table.note == (
        "1 account(s) bought in more than one region this quarter. Each counts in one region only "
        "(data.tables.accounts.resolve: latest), with all of its revenue; the other regions' share is shown here. "
        "Of the revenue counted in West, 300 was bought in other regions; 0 bought in West counts in other regions."
    )
    # C3 bought in East only before the period: no row this quarter
    assert region_spread(run.company())["account_id"].tolist() == ["C1"]


def test_run_json_records_the_merged_accounts(tmp_path):
    tables = _merge_files(tmp_path, "account_id,into\nA2,A1\n")
    for name, text in tables.items():
        (tmp_path / f"{name}.csv").write_text(text)
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {name: {"path": f"{name}.csv"} for name in tables},
                "merge": {"path": "merge.csv"},
            },
        )
    )
    computed = load_or_compute(params)
    path = write_manifest(computed, [], datetime.now(), {})
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert [(m["account_id"], m["into"]) for m in manifest["accounts_merged"]] == [("A2", "A1")]
    assert any(item["table"] == "merge" for item in manifest["inputs"])
