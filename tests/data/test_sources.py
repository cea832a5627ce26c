"""Reading sources: formats, encodings, delimiters, dates, mapping and derived columns."""

import gzip

import pandas as pd
import pytest
from builders import write_params

from kamreport.data.validate import load_and_validate
from kamreport.errors import InputError
from kamreport.params import load_params

ACCOUNTS = "account_id,account_name,region,owner\nA1,华东精密模具,East,王芳\nA2,Café Müller,South,Li\n"


def _run(tmp_path, sales_text: bytes | str, sales_name="sales.csv", sales_spec=None, encoding="utf-8", **extra):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    path = tmp_path / sales_name
    data = sales_text.encode(encoding) if isinstance(sales_text, str) else sales_text
    if sales_name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    spec = {"path": str(path), **(sales_spec or {})}
    params = load_params(write_params(tmp_path, {"accounts": tmp_path / "accounts.csv", "sales": spec}, **extra))
    return load_and_validate(params)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_any_delimiter_is_detected(tmp_path, sep):
    text = sep.join(["date", "account_id", "revenue"]) + "\n" + sep.join(["2026-07-01", "A1", "10.5"]) + "\n"
    result = _run(tmp_path, text)
    assert result.tables["sales"]["revenue"].tolist() == [10.5]


def test_gzip_csv(tmp_path):
    result = _run(tmp_path, "date,account_id,revenue\n2026-07-01,A1,3\n2026-07-02,A2,4\n", "sales.csv.gz")
    assert result.tables["sales"]["revenue"].sum() == 7
    assert result.reports["sales"].rows_read == 2


def test_utf8_bom_is_read(tmp_path):
    result = _run(tmp_path, b"\xef\xbb\xbfdate,account_id,revenue\n2026-07-01,A1,3\n")
    assert list(result.tables["sales"]["account_id"]) == ["A1"]


def test_gbk_chinese_export_with_mapping(tmp_path):
    text = "开票日期,客户编码,金额,成本\n2026-07-01,A1,100,60\n2026-07-02,A2,50,20\n"
    result = _run(
        tmp_path,
        text,
        encoding="gbk",
        sales_spec={
            "encoding": "gbk",
            "columns": {"开票日期": "date", "客户编码": "account_id", "金额": "revenue", "成本": "cost"},
        },
    )
    sales = result.tables["sales"]
    assert sales["revenue"].tolist() == [100.0, 50.0]
    assert sales["cost"].tolist() == [60.0, 20.0]


def test_gbk_read_as_utf8_is_a_clear_fatal_error(tmp_path):
    text = "开票日期,客户编码,金额\n2026-07-01,A1,100\n"
    with pytest.raises(InputError) as info:
        _run(
            tmp_path,
            text,
            encoding="gbk",
            sales_spec={"columns": {"开票日期": "date", "客户编码": "account_id", "金额": "revenue"}},
        )
    message = str(info.value)
    assert "sales" in message and "sales.csv" in message and "encoding" in message and "gbk" in message


def test_latin1(tmp_path):
    text = "date;account_id;revenue;division\n2026-07-01;A2;5;Équipement\n"
    result = _run(tmp_path, text, encoding="latin-1", sales_spec={"encoding": "latin-1"})
    assert result.tables["sales"]["division"].tolist() == ["Équipement"]


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("2026-07-15", {}, "2026-07-15"),
        ("2026-07-15 13:45:00", {}, "2026-07-15"),
        ("2026/07/15", {}, "2026-07-15"),
        ("15.07.2026", {}, "2026-07-15"),
        ("46218", {}, "2026-07-15"),  # Excel serial
        ("15/07/26", {"date_format": "%d/%m/%y"}, "2026-07-15"),
        ("07/15/2026", {"date_format": "%m/%d/%Y"}, "2026-07-15"),
    ],
)
def test_date_formats(tmp_path, text, spec, expected):
    result = _run(tmp_path, f"date,account_id,revenue\n{text},A1,1\n", sales_spec=spec)
    assert str(result.tables["sales"]["date"].iloc[0].date()) == expected


def test_mostly_unreadable_dates_ask_for_date_format(tmp_path):
    rows = "".join(f"{m:02d}/{d:02d}/2026,A1,1\n" for m in range(1, 13) for d in range(13, 15))
    with pytest.raises(InputError, match="date_format"):
        _run(tmp_path, "date,account_id,revenue\n" + rows)


def test_derived_columns_and_auto_mapping(tmp_path):
    text = "Order Date,Account ID,Quantity,Unit Price,Profit\n2026-07-01,A1,3,2.5,1.5\n2026-07-02,A2,2,10,-4\n"
    result = _run(
        tmp_path,
        text,
        sales_spec={
            "columns": {"Order Date": "date"},
            "derive": {"revenue": "Quantity * `Unit Price`", "cost": "Quantity * `Unit Price` - Profit"},
        },
    )
    sales = result.tables["sales"]
    assert sales["account_id"].tolist() == ["A1", "A2"]  # "Account ID" maps by itself
    assert sales["revenue"].tolist() == [7.5, 20.0]
    assert sales["cost"].tolist() == [6.0, 24.0]
    assert sales["quantity"].tolist() == [3.0, 2.0]


def test_missing_required_column_lists_found_and_closest(tmp_path):
    with pytest.raises(InputError) as info:
        _run(tmp_path, "date,account_id,Revenu\n2026-07-01,A1,1\n")
    message = str(info.value)
    assert (
        "'revenue'" in message
        and "closest: 'Revenu'" in message
        and "Found columns: date, account_id, Revenu" in message
    )
    assert "sales.csv" in message


def test_mapping_names_a_column_that_is_not_there(tmp_path):
    with pytest.raises(InputError, match=r"column 'Amount' .*\(closest: 'Amount_'\)"):
        _run(tmp_path, "date,account_id,Amount_\n2026-07-01,A1,1\n", sales_spec={"columns": {"Amount": "revenue"}})


def test_excel_named_sheet_and_parquet(tmp_path):
    sales = pd.DataFrame(
        {"date": pd.to_datetime(["2026-07-01", "2026-08-01"]), "account_id": ["A1", "A2"], "revenue": [1.0, 2.0]}
    )
    with pd.ExcelWriter(tmp_path / "book.xlsx") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Cover", index=False)
        sales.to_excel(writer, sheet_name="Lines", index=False)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {"accounts": {"path": "accounts.csv"}, "sales": {"path": "book.xlsx", "sheet": "Lines"}},
            },
        )
    )
    result = load_and_validate(params)
    assert result.tables["sales"]["revenue"].tolist() == [1.0, 2.0]
    assert str(result.tables["sales"]["date"].iloc[1].date()) == "2026-08-01"

    sales.to_parquet(tmp_path / "sales.parquet")
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {"accounts": {"path": "accounts.csv"}, "sales": {"path": "sales.parquet"}},
            },
        )
    )
    assert load_and_validate(params).tables["sales"]["revenue"].sum() == 3.0


def test_missing_sheet_names_the_sheets(tmp_path):
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "book.xlsx", sheet_name="Orders", index=False)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {"accounts": {"path": "accounts.csv"}, "sales": {"path": "book.xlsx", "sheet": "Order"}},
            },
        )
    )
    with pytest.raises(InputError, match=r"no sheet 'Order'.*Orders.*Did you mean 'Orders'"):
        load_and_validate(params)


def test_not_a_spreadsheet(tmp_path):
    (tmp_path / "book.xlsx").write_text("this is not a workbook", encoding="utf-8")
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {"accounts": {"path": "accounts.csv"}, "sales": {"path": "book.xlsx"}},
            },
        )
    )
    with pytest.raises(InputError, match=r"book\.xlsx is not a readable spreadsheet"):
        load_and_validate(params)


def test_glob_reads_every_file_with_its_rows(tmp_path):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "s_2025.csv").write_text("date,account_id,revenue\n2025-07-01,A1,1\n", encoding="utf-8")
    (tmp_path / "s_2026.csv").write_text("date,account_id,revenue\n2026-07-01,A1,2\nxx,A1,3\n", encoding="utf-8")
    params = load_params(
        write_params(
            tmp_path,
            {},
            data={
                "base_dir": str(tmp_path),
                "tables": {"accounts": {"path": "accounts.csv"}, "sales": {"path": "s_*.csv"}},
            },
            validation={"allow_rejects": True},
        )
    )
    result = load_and_validate(params)
    assert result.reports["sales"].rows_read == 3
    row = result.quality[result.quality["kind"] == "set_aside"].iloc[0]
    assert row["source_file"].endswith("s_2026.csv") and row["source_row"] == 3
