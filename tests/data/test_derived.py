"""Master tables derived from the sales lines, lookups, set-aside lists and environment paths."""

import pytest
from builders import write_params

from kamreport.data.validate import load_and_validate
from kamreport.errors import ParamsError
from kamreport.params import load_params

LINES = """Order Date,Order,Cust,Customer,Region,Product,Category,Sales,Profit
2026-07-01,O1,C1,Acme,West,P1,Chairs,100,20
2026-07-05,O2,C1,Acme Ltd,East,P1,Chairs,300,30
2026-08-01,O3,C2,Bolt,East,P2,Tables,50,5
2026-08-02,O4,C2,Bolt,East,P2,Tables,50,5
2026-09-01,O5,C1,Acme Ltd,West,P2,Tables,10,1
"""
PEOPLE = "Region,Manager\nWest,Sadie\nEast,Chuck\n"
RETURNS = "Order\nO4\nO4\n"


def _params(tmp_path, resolve="latest", set_aside=True, **extra):
    (tmp_path / "lines.csv").write_text(LINES, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "returns.csv").write_text(RETURNS, encoding="utf-8")
    sales = {
        "path": "lines.csv",
        "columns": {
            "Order Date": "date",
            "Cust": "account_id",
            "Sales": "revenue",
            "Product": "product_code",
            "Order": "invoice_id",
        },
        "derive": {"cost": "Sales - Profit"},
    }
    if set_aside:
        sales["set_aside"] = [{"path": "returns.csv", "column": "Order", "match": "Order", "reason": "returned order"}]
    tables = {
        "sales": sales,
        "accounts": {
            "from_table": "sales",
            "resolve": resolve,
            "columns": {"Cust": "account_id", "Customer": "account_name", "Region": "region"},
            "lookups": {"owner": {"path": "people.csv", "key": "Region", "value": "Manager", "by": "region"}},
        },
        "products": {"from_table": "sales", "columns": {"Product": "product_code", "Category": "category"}},
    }
    return load_params(write_params(tmp_path, {}, data={"base_dir": str(tmp_path), "tables": tables}, **extra))


def test_accounts_take_the_latest_value_and_report_conflicts(tmp_path):
    result = load_and_validate(_params(tmp_path))
    accounts = result.tables["accounts"].set_index("account_id")
    assert accounts.loc["C1", "account_name"] == "Acme Ltd"
    assert accounts.loc["C1", "region"] == "West"  # latest line (2026-09-01)
    assert accounts.loc["C1", "owner"] == "Sadie"  # looked up by region in another file
    assert accounts.loc["C2", "owner"] == "Chuck" and accounts.loc["C1", "status"] == "active"
    conflicts = result.quality[result.quality["kind"] == "conflict"]["reason"].tolist()
    assert "account_id C1: 2 values of account_name (Acme, Acme Ltd); kept 'Acme Ltd' (latest)" in conflicts
    assert "account_id C1: 2 values of region (West, East); kept 'West' (latest)" in conflicts
    assert result.reports["accounts"].rows_read == 2


def test_most_revenue_rule_assigns_the_region_bought_most_in(tmp_path):
    accounts = load_and_validate(_params(tmp_path, resolve="most_revenue")).tables["accounts"].set_index("account_id")
    assert accounts.loc["C1", "region"] == "East"  # 300 in East against 110 in West
    assert accounts.loc["C1", "owner"] == "Chuck"


def test_products_derived_too(tmp_path):
    products = load_and_validate(_params(tmp_path)).tables["products"].set_index("product_code")
    assert products["category"].to_dict() == {"P1": "Chairs", "P2": "Tables"}


def test_a_set_aside_list_is_a_choice_not_an_error(tmp_path):
    result = load_and_validate(_params(tmp_path))  # 1 of 5 lines returned: 20 %, over the 5 % limit
    report = result.reports["sales"]
    assert report.rows_set_aside == 1 and report.rows_by_rule == 1 and report.reject_share == 0
    row = result.quality[result.quality["kind"] == "set_aside"].iloc[0]
    assert row["reason"] == "returned order" and row["source_row"] == 5
    assert result.tables["sales"]["revenue"].sum() == 460
    assert result.tables["sales"]["cost"].tolist() == [80, 270, 45, 9]


def test_environment_variables_in_paths(tmp_path, monkeypatch):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    params = _params(folder, set_aside=False)
    raw = params.model_dump(mode="json", exclude={"source"})
    raw["data"]["base_dir"] = "${KAM_TEST_DATA:-/nowhere}"
    from kamreport.params import parse_params

    params = parse_params({**raw, "source": str(tmp_path / "p.yaml")})
    monkeypatch.setenv("KAM_TEST_DATA", str(folder))
    assert params.base_dir == folder
    monkeypatch.delenv("KAM_TEST_DATA")
    assert str(params.base_dir) == "/nowhere"
    raw["data"]["base_dir"] = "${KAM_TEST_UNSET_VAR}"
    with pytest.raises(ParamsError, match="KAM_TEST_UNSET_VAR is not set"):
        _ = parse_params({**raw, "source": str(tmp_path / "p.yaml")}).base_dir


def test_yes_no_and_on_stay_names_in_params(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "period: 2026Q3\ndata:\n  tables:\n    sales:\n"
        "      path: s.csv\n      columns: {No: invoice_id, On: division}\n",
        encoding="utf-8",
    )
    assert load_params(path).data.tables["sales"].columns == {"No": "invoice_id", "On": "division"}
