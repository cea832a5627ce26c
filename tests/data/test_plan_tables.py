"""The plan-of-record tables follow the data contract: mapping, checks, rows set aside with reasons, nothing lost."""

import pytest
from builders import reasons, validate_files

from kamreport.errors import InputError

SALES = "date,account_id,revenue\n2026-07-01,A1,100\n2026-07-02,A2,50\n"

FORECASTS = """Quarter,Customer,Amount,Level,Key,Category,Version
2026Q3,A1,120,,,,2026-06-01
2026Q3,,900,,,,2026-06-01
2026Q3,,800,owner,,commit,2026-06-02
2026Q3,,700,region,East,best_case,2026-06-03
2026Q3,,2000,company,,,2026-06-04
2026Q3,A2,60,team,,,2026-06-05
"""

OBJECTIVES = """account_id,objective,owner,due,status,completion,party
A1,Win the frame agreement,王芳,2026-09-30,open,0.5,us
A1,=cmd|' /C calc'!A0,Li,2026-10-15,,,customer
A2,Qualify the guide pillars,Li,not a date,open,,
A2,Get listed,Li,2026-08-01,maybe,,
A3,Unknown account,Li,2026-08-01,open,,
A1,Too far along,Li,2026-08-01,open,1.5,
"""

PROMOTIONS = """account_id,promo_id,start,end,submitted,planned_spend,status
A1,P1,2026-10-01,2026-10-15,2026-08-01,500,approved
A1,P2,2026-11-01,2026-10-20,2026-09-01,300,planned
A2,P3,2026-10-05,2026-10-09,,100,
A2,P1,2026-12-01,2026-12-09,,100,planned
"""

OPPORTUNITIES = "opportunity_id,account_id,owner,stage,amount,status\nO1,A1,Li,8,100,won\nO2,A2,Li,3,50,open\n"

BIDS = """opportunity_id,submitted,first_quote,final_quote,control,impact,result,decided
O1,2026-07-01,120,100,over_80,high,won,2026-08-01
O2,2026-07-05,60,,,medium,,
O9,2026-07-05,60,,,,open,
O1,2026-08-10,120,100,,,lost,2026-08-01
"""


GO_ON = {"validation": {"allow_rejects": True}}  # these tables are mostly bad rows on purpose


def _counts(result, table):  # type: ignore[no-untyped-def]
    report = result.reports[table]
    return report.rows_read, report.rows_used, report.rows_set_aside


def test_forecast_levels_need_the_account_or_the_key_their_level_names(tmp_path):
    source = {
        "path": str(tmp_path / "forecasts.csv"),
        "columns": {"Quarter": "period", "Customer": "account_id", "Amount": "forecast_revenue", "Level": "level",
                    "Key": "key", "Category": "category", "Version": "version"},
    }  # fmt: skip
    (tmp_path / "forecasts.csv").write_text(FORECASTS, encoding="utf-8")
    result = validate_files(tmp_path, {"sales": SALES, "forecasts": source}, **GO_ON)
    why = reasons(result, "forecasts")
    assert why == {
        3: "account_id: empty (required when level is account)",  # the default level is account
        4: "key: empty (required when level is owner or region)",
        7: "level not one of account, owner, region, company: 'team'",
    }
    assert _counts(result, "forecasts") == (6, 3, 3)
    used = result.tables["forecasts"]
    assert used["level"].tolist() == ["account", "region", "company"]
    assert used["category"].tolist() == ["commit", "best_case", "commit"]  # commit is the default


def test_objectives_are_set_aside_row_by_row_and_text_stays_text(tmp_path):
    result = validate_files(tmp_path, {"sales": SALES, "objectives": OBJECTIVES}, **GO_ON)
    why = reasons(result, "objectives")
    assert set(why) == {4, 5, 6, 7}
    assert why[4].startswith("due: cannot read 'not a date'")
    assert why[5] == "status not one of open, done, dropped: 'maybe'"
    assert why[6] == "unknown account_id 'A3'"
    assert why[7] == "completion above 1: '1.5'"
    assert _counts(result, "objectives") == (6, 2, 4)
    used = result.tables["objectives"]
    assert used["objective"].tolist()[1] == "=cmd|' /C calc'!A0"  # as written
    assert used["status"].tolist() == ["open", "open"] and used["party"].tolist() == ["us", "customer"]


def test_promotions_with_an_end_before_their_start_or_a_repeated_id_are_set_aside(tmp_path):
    result = validate_files(tmp_path, {"sales": SALES, "promotions": PROMOTIONS}, **GO_ON)
    why = reasons(result, "promotions")
    assert why == {3: "end: 2026-10-20 is before start 2026-11-01", 5: "duplicate promo_id of row 2"}
    assert _counts(result, "promotions") == (4, 2, 2)
    assert result.tables["promotions"]["status"].tolist() == ["approved", "planned"]  # planned by default


def test_bids_name_an_opportunity_and_are_decided_after_they_were_submitted(tmp_path):
    result = validate_files(tmp_path, {"sales": SALES, "opportunities": OPPORTUNITIES, "bids": BIDS}, **GO_ON)
    why = reasons(result, "bids")
    assert why == {
        4: "unknown opportunity_id 'O9' (not in opportunities)",
        5: "decided: 2026-08-01 is before submitted 2026-08-10",
    }
    assert _counts(result, "bids") == (4, 2, 2)
    assert result.tables["bids"]["result"].tolist() == ["won", "open"]  # open by default
    assert result.tables["bids"]["control"].tolist() == ["over_80", "unknown"]


def test_bids_without_the_opportunities_table_stop_the_run(tmp_path):
    with pytest.raises(InputError, match="table bids names each row's opportunity_id in table opportunities"):
        validate_files(tmp_path, {"sales": SALES, "bids": BIDS})
