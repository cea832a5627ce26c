"""SQL table sources on a real DuckDB file: placeholders, params checks, bad input, data quality, the results key."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from erp import ACCOUNTS, SALES, SALES_SQL, erp_file, sql_params

from kamreport.cli import main
from kamreport.data.databases import positional
from kamreport.data.sql import query_bindings
from kamreport.data.validate import load_and_validate
from kamreport.demo import DEMO_TABLES
from kamreport.params import find_placeholders, load_params, parse_params
from kamreport.run import store
from kamreport.run.exports import write_exports

pytestmark = pytest.mark.xdist_group("sql")
ROOT = Path(__file__).resolve().parents[2]


def test_placeholders_skip_casts_quotes_and_comments():
    text = "select a::date, ':period_end', \"x:period_end\" -- :period_end\n/* :x */ from t where d >= :history_start"
    assert [p.name for p in find_placeholders(text)] == ["history_start"]
    assert [p.name for p in find_placeholders("arr[1:n], $$ :x $$, :period_end::date")] == ["period_end"]
    assert positional("where a >= :period_start and b <= :period_end and c >= :period_start") == (
        "where a >= $1 and b <= $2 and c >= $1"
    )


def test_bound_dates_follow_the_period_and_the_trend_quarters():
    params = parse_params({"period": "2026Q3"})
    assert query_bindings(params) == {
        "history_start": date(2024, 10, 1),  # 8 trend quarters: 2024Q4 .. 2026Q3
        "period_start": date(2026, 7, 1),
        "period_end": date(2026, 9, 30),
    }
    params = parse_params({"period": "2026Q1", "kpi": {"trend_quarters": 4}})
    assert query_bindings(params)["history_start"] == date(2025, 4, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"connections": {"erp": {"url": "postgresql://kam:Hunter2@db/erp"}}}, "KAMREPORT_DB_ERP_PASSWORD"),
        ({"connections": {"erp": {"url": "postgresql://db/erp?password=Hunter2"}}}, "~/.pgpass"),
        ({"connections": {"ERP-1": {"url": "duckdb:///x.duckdb"}}}, "not an identifier"),
        ({"connections": {"erp": {"url": "mysql://kam@db/erp"}}}, "unsupported url scheme 'mysql'"),
        ({"tables": {"sales": {"connection": "erp", "sql": "select 1"}}}, "no data.connections given"),
        (
            {"connections": {"erp": {"url": "duckdb:///x.duckdb"}}, "tables": {"sales": {"sql": "select 1"}}},
            "needs both connection",
        ),
        (
            {
                "connections": {"erp": {"url": "duckdb:///x.duckdb"}},
                "tables": {"sales": {"connection": "erp", "sql": "select 1", "path": "s.csv"}},
            },
            "remove path",
        ),
        (
            {
                "connections": {"erp": {"url": "duckdb:///x.duckdb"}},
                "tables": {"sales": {"connection": "erp", "sql": "select * from s where d <= :period_ends"}},
            },
            "unknown placeholder(s) :period_ends",
        ),
    ],
)
def test_bad_connections_and_sql_sources_are_params_errors(tmp_path, capsys, data, expected):
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"period": "2026Q3", "data": data}), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in " ".join(err.split())
    assert "Hunter2" not in err  # a refused URL is never repeated


def test_a_sql_table_is_read_bound_mapped_and_checked_like_a_file(tmp_path):
    erp_file(tmp_path)
    orders = {
        "connection": "erp",
        "sql": "select * from order_lines order by order_no, line",
        "columns": {
            "order_no": "order_id",
            "line": "line_no",
            "cust_no": "account_id",
            "ordered": "order_date",
            "qty": "qty_ordered",
            "sent": "qty_delivered",
        },
    }
    params = load_params(sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": SALES, "orders": orders}))
    validated = load_and_validate(params)

    sales = validated.tables["sales"]
    report = validated.reports["sales"]
    # bound :period_start / :period_end keep the three lines of 2026Q3; the unknown account is set aside
    assert (report.rows_read, report.rows_used, report.rows_set_aside) == (3, 2, 1)
    assert sales["revenue"].sum() == pytest.approx(300.5)  # decimal(12,2) read as numbers
    assert list(sales["date"].dt.strftime("%Y-%m-%d")) == ["2026-07-01", "2026-08-01"]

    quality = validated.quality
    bad_sale = quality[(quality["table"] == "sales") & (quality["kind"] == "set_aside")]
    assert list(bad_sale["source_file"]) == ["connection erp: invoice_date=2026-07-15, cust_no=ZZ"]
    assert list(bad_sale["source_row"]) == [2]  # its position in the (ordered) result
    assert json.loads(bad_sale["row"].iloc[0])["net"] == 5.0
    bad_order = quality[(quality["table"] == "orders") & (quality["kind"] == "set_aside")]
    assert list(bad_order["source_file"]) == ["connection erp: order_no=O1, line=2"]
    assert list(bad_order["source_row"]) == [2]
    assert validated.reports["orders"].rows_read == 2 and validated.reports["orders"].rows_used == 1


def test_history_start_reaches_back_to_the_first_trend_quarter(tmp_path):
    erp_file(tmp_path)
    sales = {**SALES, "sql": "select * from lines where invoice_date >= :history_start and cust_no <> 'ZZ'"}
    validated = load_and_validate(load_params(sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": sales})))
    # 2024-09-30 is before 2024Q4, the first of 8 trend quarters ending 2026Q3
    assert validated.reports["sales"].rows_read == 5


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"sql": "select * from no_such_table"}, "the query on connection erp failed"),
        ({"sql": "select invoice_date, cust_no, qty from lines"}, "column 'net' named in data.tables.sales.columns"),
        ({"sql": SALES_SQL.replace(":period_end", ":period_start - 1")}, "returned no rows"),
        ({"sql": "select *, cust_no from lines"}, "cust_no more than once"),
        ({"sql": "select * from lines, (select sum(hash(i)) from range(100000000000) t(i))"}, "ran longer than 0.3 s"),
    ],
)
def test_query_problems_exit_2_naming_connection_table_and_what_to_do(tmp_path, capsys, change, expected):
    erp_file(tmp_path)
    path = sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": {**SALES, **change}}, query_timeout=0.3)
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert expected in err
    assert "table sales" in err and "connection erp" in err


def test_a_missing_duckdb_file_exits_2(tmp_path, capsys):
    path = sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": SALES}, url="duckdb:///missing/erp.duckdb")
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"no DuckDB file at {tmp_path / 'missing' / 'erp.duckdb'}" in err


def test_the_rows_hash_keys_the_results_and_notebooks_do_not_query_again(tmp_path, monkeypatch):
    database = erp_file(tmp_path)
    sales = {**SALES, "sql": "select * from lines where cust_no <> 'ZZ'"}
    params = load_params(sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": sales}))
    monkeypatch.setattr(store, "_MEMORY", {})

    first = store.load_or_compute(params)
    lines = next(f for f in first.inputs if f.table == "sales")
    assert (lines.connection, lines.url, lines.query, lines.bound, lines.rows) == (
        "erp",
        "duckdb:///erp.duckdb",
        sales["sql"],
        {},
        6,
    )
    monkeypatch.setattr(store, "_MEMORY", {})
    assert store.load_or_compute(params).reused  # same rows: same hash, same key

    database.rename(tmp_path / "away.duckdb")  # a notebook on the run uses the rows the run read
    assert store.load_or_compute(params, query_databases=False).reused
    (tmp_path / "away.duckdb").rename(database)

    con = duckdb.connect(str(database))
    con.execute("update lines set net = net + 1000 where invoice_date = '2026-07-01'")
    con.close()
    monkeypatch.setattr(store, "_MEMORY", {})
    changed = store.load_or_compute(params)
    assert not changed.reused and changed.key != first.key
    assert next(f for f in changed.inputs if f.table == "sales").sha256 != lines.sha256
    difference = changed.facts.sales_month["revenue"].sum() - first.facts.sales_month["revenue"].sum()
    assert difference == pytest.approx(1000)


def test_demo_tables_from_duckdb_give_the_parquet_runs_kpis(demo_duckdb_params, demo_computed, tmp_path):
    write_exports(demo_computed.results, demo_computed.quality, tmp_path)
    assert main(["run", str(demo_duckdb_params), "--only", "data"]) == 0
    run_dir = load_params(demo_duckdb_params).run_dir
    assert (run_dir / "kpis.csv").read_bytes() == (tmp_path / "kpis.csv").read_bytes()
    assert (run_dir / "accounts.csv").read_bytes() == (tmp_path / "accounts.csv").read_bytes()
    recorded = json.loads((run_dir / "params.json").read_text(encoding="utf-8"))["queries"]
    assert [q["table"] for q in recorded][:2] == ["accounts", "sales"]
    assert all(q["connection"] == "demo" and len(q["sha256"]) == 64 and q["rows"] > 0 for q in recorded)


def test_demo_duckdb_params_name_every_demo_table():
    params = load_params(ROOT / "params" / "demo_duckdb.yaml")
    assert params.base_dir == ROOT / "data" / "demo"
    assert params.data.connections["demo"].url == "duckdb:///kam.duckdb"
    assert all(spec.connection == "demo" and spec.sql for spec in params.data.tables.values())
    assert set(params.data.tables) == set(DEMO_TABLES)


def test_demo_data_writes_a_duckdb_file_and_params_reading_it(tmp_path):
    assert main(["demo-data", str(tmp_path / "d"), "--accounts", "20", "--format", "duckdb"]) == 0
    con = duckdb.connect(str(tmp_path / "d" / "kam.duckdb"), read_only=True)
    kinds = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns where table_name = 'sales'"
        ).fetchall()
    )
    rows = con.execute("select count(*) from accounts").fetchone()
    con.close()
    assert kinds["date"] == "DATE" and kinds["revenue"] == "DOUBLE" and rows == (20,)
    doc = yaml.safe_load((tmp_path / "d" / "params.yaml").read_text(encoding="utf-8"))
    assert doc["data"]["connections"] == {"demo": {"url": "duckdb:///kam.duckdb"}}
    assert doc["data"]["tables"]["sales"]["sql"] == 'select * from "sales" where "date" <= :period_end'
