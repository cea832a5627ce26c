"""Reading hostile files: each either read right or a clear exit 2, never a crash or a silent choice."""

import gzip
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from builders import reasons, validate_files, write_params

from kamreport.errors import InputError

HEADER = "date,account_id,revenue\n"


# --------------------------------------------------------------------------- compressed files


def _truncated_gzip(path, lines=200_000):
    body = "".join(f"2026-07-{i % 28 + 1:02d},A{i % 2 + 1},{i}.5\n" for i in range(lines))
    data = gzip.compress((HEADER + body).encode())
    path.write_bytes(data[: int(len(data) * 0.7)])


def test_truncated_gzip_is_a_clear_error(tmp_path):
    _truncated_gzip(tmp_path / "sales.csv.gz", lines=2_000)
    with pytest.raises(InputError, match=r"table sales: cannot read .*sales\.csv\.gz as a gzip file .*truncated"):
        validate_files(tmp_path, {"sales": {"path": "sales.csv.gz"}})


def test_truncated_gzip_exits_2_instead_of_aborting(tmp_path):
    """The reading thread used to abort the whole process (exit code 134)."""
    _truncated_gzip(tmp_path / "sales.csv.gz")
    (tmp_path / "accounts.csv").write_text("account_id,account_name,region,owner\nA1,x,East,Li\nA2,y,East,Li\n")
    params = write_params(tmp_path, {"accounts": tmp_path / "accounts.csv", "sales": tmp_path / "sales.csv.gz"})
    done = subprocess.run(
        [sys.executable, "-m", "kamreport.cli", "validate", str(params)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "truncated" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_a_plain_file_named_gz(tmp_path):
    (tmp_path / "sales.csv.gz").write_text(HEADER + "2026-07-01,A1,1\n")
    with pytest.raises(InputError, match=r"sales\.csv\.gz as a gzip file .*not gzip-compressed"):
        validate_files(tmp_path, {"sales": {"path": "sales.csv.gz"}})


# --------------------------------------------------------------------------- paths


def test_a_glob_skips_the_folders_it_matches(tmp_path):
    (tmp_path / "sales_archive").mkdir()
    (tmp_path / "sales_2026.csv").write_text(HEADER + "2026-07-01,A1,5\n")
    result = validate_files(tmp_path, {"sales": {"path": "sales_*"}})
    assert result.tables["sales"]["revenue"].tolist() == [5.0]


def test_a_glob_matching_only_folders_or_a_folder_path(tmp_path):
    (tmp_path / "sales_archive").mkdir()
    with pytest.raises(InputError, match=r"no file matches .*sales_\* \(only folders: sales_archive\)"):
        validate_files(tmp_path, {"sales": {"path": "sales_*"}})
    with pytest.raises(InputError, match=r"sales_archive is a folder, not a file.*\*\.csv"):
        validate_files(tmp_path, {"sales": {"path": "sales_archive"}})


# --------------------------------------------------------------------------- columns


def test_two_source_columns_matching_one_canonical_column_stop_the_run(tmp_path):
    text = "date,account_id,Revenue,revenue\n2026-07-01,A1,1796008,24165\n"
    with pytest.raises(InputError) as info:
        validate_files(tmp_path, {"sales": text})
    message = str(info.value)
    assert "2 source columns match the column 'revenue': 'Revenue', 'revenue'" in message
    assert "data.tables.sales.columns" in message and "sales.csv" in message


def test_an_explicit_mapping_wins_over_matching_names(tmp_path):
    (tmp_path / "sales.csv").write_text("date,account_id,Revenue,revenue\n2026-07-01,A1,1796008,24165\n")
    result = validate_files(tmp_path, {"sales": {"path": "sales.csv", "columns": {"Revenue": "revenue"}}})
    assert result.tables["sales"]["revenue"].tolist() == [1796008.0]


def test_a_header_naming_a_column_twice(tmp_path):
    text = "date,account_id,revenue,revenue\n2026-07-01,A1,1,2\n"
    expected = r"2 source columns match the column 'revenue': 'revenue', 'revenue' \(again\)"
    with pytest.raises(InputError, match=expected):
        validate_files(tmp_path, {"sales": text})


@pytest.mark.parametrize("name", ["_source_row", "_source_file"])
def test_a_source_column_with_a_reserved_name(tmp_path, name):
    text = f"date,account_id,revenue,{name}\n2026-07-01,A1,1,999\n"
    with pytest.raises(InputError, match=rf"has a column named '{name}'.*Rename that column"):
        validate_files(tmp_path, {"sales": text})


# --------------------------------------------------------------------------- dates and lists


def test_iso_dates_with_a_time_zone_among_plain_dates_keep_the_date_written(tmp_path):
    text = (
        HEADER
        + "2026-07-01T23:30:00+08:00,A1,1\n2026-07-02,A1,2\n"
        + "2026-07-03 01:00:00-05:00,A1,3\n2026-07-04T10:00Z,A1,4\n"
    )
    result = validate_files(tmp_path, {"sales": text})
    dates = result.tables["sales"]["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04"]


def test_a_set_aside_list_in_a_workbook_without_a_sheet_reads_its_first_sheet(tmp_path):
    pd.DataFrame({"Invoice": ["I2"]}).to_excel(tmp_path / "returns.xlsx", index=False)
    (tmp_path / "s.csv").write_text("date,account_id,revenue,Invoice\n2026-07-01,A1,1,I1\n2026-07-02,A1,2,I2\n")
    rule = {"path": "returns.xlsx", "column": "Invoice", "match": "Invoice", "reason": "returned"}
    result = validate_files(tmp_path, {"sales": {"path": "s.csv", "set_aside": [rule]}})
    assert result.tables["sales"]["revenue"].tolist() == [1.0]
    assert reasons(result) == {3: "returned"}


def _lookup_sales(tmp_path, required: bool):
    (tmp_path / "people.csv").write_text("Region,Manager,Segment\nEast,Chuck,Molds\n")
    lookups = {
        "owner" if required else "segment": {
            "path": "people.csv",
            "key": "Region",
            "value": "Manager" if required else "Segment",
            "by": "region",
        }
    }
    accounts = {
        "path": "accounts.csv",
        "columns": {"id": "account_id", "name": "account_name", "Region": "region"},
        "lookups": lookups,
    }
    text = "id,name,Region" + ("" if required else ",owner") + "\n"
    text += "A1,x,East" + ("" if required else ",Li") + "\nA2,y,North" + ("" if required else ",Li") + "\n"
    (tmp_path / "accounts.csv").write_text(text)
    sales = HEADER + "2026-07-01,A1,1\n2026-07-02,A2,2\n"
    return validate_files(tmp_path, {"accounts": accounts, "sales": sales}, validation={"allow_rejects": True})


def test_a_required_lookup_without_a_match_says_so(tmp_path):
    result = _lookup_sales(tmp_path, required=True)
    assert reasons(result, "accounts") == {3: "owner: no match in people.csv (column Region) for 'North'"}
    assert reasons(result) == {3: "account A2 set aside: owner: no match in people.csv (column Region) for 'North'"}


def test_an_optional_lookup_without_a_match_is_blanked_and_noted(tmp_path):
    result = _lookup_sales(tmp_path, required=False)
    q = result.quality
    notes = q[(q["kind"] == "note") & q["source_row"].notna()]
    assert notes["reason"].tolist() == [
        "segment: no match in people.csv (column Region) for 'North' — left blank, the row is kept"
    ]
    assert result.reports["accounts"].rows_set_aside == 0 and result.reports["sales"].rows_used == 2


# --------------------------------------------------------------------------- row numbers


def test_csv_row_numbers_are_the_file_lines_after_blank_lines_and_quoted_breaks(tmp_path):
    text = (
        "date,account_id,revenue,note\n"  # line 1
        "2026-07-01,A1,1,ok\n"  # 2
        "\n"  # 3
        "\n"  # 4
        'xx,A1,2,"two\nlines"\n'  # 5-6
        "2026-07-02,A1,abc,ok\n"  # 7
        "\n"  # 8
    )
    result = validate_files(tmp_path, {"sales": text}, validation={"allow_rejects": True})
    assert reasons(result) == {5: "date: cannot read 'xx' as date", 7: "revenue: cannot read 'abc' as float"}
    assert result.reports["sales"].rows_read == 3


def test_csv_row_numbers_when_a_line_does_not_split(tmp_path):
    text = HEADER + "2026-07-01,A1,1\n\n2026-07-02,A1,2,surplus\n\n2026-07-03,A1,bad\n"
    result = validate_files(tmp_path, {"sales": text}, validation={"allow_rejects": True})
    assert reasons(result) == {
        4: "line has 4 fields, the header has 3",
        6: "revenue: cannot read 'bad' as float",
    }


def test_excel_row_numbers_are_the_sheet_rows_after_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "account_id", "revenue"])  # row 1
    sheet.append(["2026-07-01", "A1", 1])  # 2
    sheet.append([None, None, None])  # 3
    sheet.append(["2026-07-02", "A1", "abc"])  # 4
    sheet.cell(row=7, column=1, value="nope")  # 7, after two more blank rows
    sheet.cell(row=7, column=2, value="A1")
    sheet.cell(row=7, column=3, value=3)
    book.save(tmp_path / "sales.xlsx")
    result = validate_files(tmp_path, {"sales": {"path": "sales.xlsx"}}, validation={"allow_rejects": True})
    assert reasons(result) == {4: "revenue: cannot read 'abc' as float", 7: "date: cannot read 'nope' as date"}
    row = result.quality[result.quality["source_row"] == 7].iloc[0]
    assert json.loads(row["row"]) == {"date": "nope", "account_id": "A1", "revenue": 3}


# --------------------------------------------------------------------------- derived columns


def test_derived_columns_read_text(tmp_path):
    text = (
        "date,CustomerID,order_status,quantity,price\n"
        "2026-07-01,1,delivered,2,10\n"
        "2026-07-02,2,canceled,3,10\n"
        "2026-07-03,1, Delivered ,1,10\n"
    )
    (tmp_path / "s.csv").write_text(text)
    accounts = "account_id,account_name,region,owner\nC1,x,East,Li\nC2,y,East,Li\n"
    spec = {
        "path": "s.csv",
        "derive": {
            "account_id": "'C' + str(CustomerID)",
            "revenue": "(strip(lower(order_status)) == 'delivered') * quantity * price",
            "division": "upper(order_status)",
        },
    }
    result = validate_files(tmp_path, {"accounts": accounts, "sales": spec})
    sales = result.tables["sales"]
    assert sales["account_id"].tolist() == ["C1", "C2", "C1"]
    assert sales["revenue"].tolist() == [20.0, 0.0, 10.0]
    assert sales["division"].tolist() == ["DELIVERED", "CANCELED", " DELIVERED "]


def test_an_expression_that_cannot_be_evaluated_names_table_expression_and_a_sample(tmp_path):
    (tmp_path / "s.csv").write_text("date,account_id,status,qty\n2026-07-01,A1,ok,2\n")
    spec = {"path": "s.csv", "derive": {"revenue": "qty", "division": "contains(status, qty)"}}
    with pytest.raises(InputError) as info:
        validate_files(tmp_path, {"sales": spec})
    message = str(info.value)
    assert "table sales: data.tables.sales.derive.division = 'contains(status, qty)' cannot be evaluated" in message
    assert "status = 'ok', qty = '2'" in message


def test_a_runaway_expression_is_refused_before_any_file_is_read(tmp_path):
    spec = {"path": "not_there_yet.csv", "derive": {"revenue": "9**9**9**9"}}
    with pytest.raises(InputError, match=r"table sales: data.tables.sales.derive.revenue: .*exponent of \*\*"):
        validate_files(tmp_path, {"sales": spec})


# --------------------------------------------------------------------------- exact duplicates


ITEMS = (
    "date,account_id,revenue,order_item_id\n"
    "2026-07-01,A1,10,1\n"
    "2026-07-01,A1,10,2\n"  # one unit more of the same item: not a duplicate
    "2026-07-01,A1,10,2\n"  # the same line again: a duplicate
)


def test_exact_duplicates_compare_every_source_column(tmp_path):
    result = validate_files(tmp_path, {"sales": ITEMS}, validation={"allow_rejects": True})
    assert reasons(result) == {4: "exact duplicate of row 3"}
    assert result.tables["sales"]["revenue"].sum() == 20


def test_exact_duplicates_over_the_mapped_columns_only_when_asked(tmp_path):
    (tmp_path / "s.csv").write_text(ITEMS)
    spec = {"path": "s.csv", "duplicates": "mapped"}
    result = validate_files(tmp_path, {"sales": spec}, validation={"allow_rejects": True})
    assert reasons(result) == {3: "exact duplicate of row 2", 4: "exact duplicate of row 2"}
