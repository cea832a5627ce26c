"""SQL table sources on a real PostgreSQL server, started once for these tests (tests/postgres.py).

Missing PostgreSQL binaries fail these tests with what to install: no silent skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml
from erp import ACCOUNTS, ERP, SALES, SALES_SQL, sql_params
from postgres import PostgresServer, PostgresUnavailable, execute, load_tables, postgres_server

from kamreport.cli import main
from kamreport.data.sql import forget_prefetched, sql_inputs
from kamreport.data.validate import load_and_validate
from kamreport.demo import DEMO_TABLES
from kamreport.params import load_params
from kamreport.run.exports import write_exports
from kamreport.run.session import open_run

pytestmark = pytest.mark.xdist_group("sql")
PASSWORD_VARIABLE = "KAMREPORT_DB_ERP_PASSWORD"


@pytest.fixture(scope="session")  # session: xdist may interleave this module with test_sql.py
def server(demo_duckdb_params: Path) -> Iterator[PostgresServer]:
    """A throwaway server holding the small demo tables (from the DuckDB demo file) and the ERP tables."""
    try:
        with postgres_server() as running:
            con = duckdb.connect(str(demo_duckdb_params.parent / "data" / "kam.duckdb"), read_only=True)
            tables = {t: con.sql(f'select * from "{t}"').to_arrow_table() for t in DEMO_TABLES}
            con.close()
            load_tables(running, tables)
            execute(running, *ERP)
            yield running
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch, server: PostgresServer, tmp_path: Path) -> str:
    """The password in KAMREPORT_DB_ERP_PASSWORD, and no other password file libpq could use."""
    monkeypatch.setenv(PASSWORD_VARIABLE, server.password)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no.pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return server.password


def demo_params(demo_duckdb_params: Path, server: PostgresServer, folder: Path) -> Path:
    """The demo's SQL params, reading the same queries from the PostgreSQL server as connection erp."""
    doc = yaml.safe_load(demo_duckdb_params.read_text(encoding="utf-8"))
    doc["output_dir"] = str(folder / "output")
    doc["data"]["connections"] = {"erp": {"url": server.url()}}
    for spec in doc["data"]["tables"].values():
        spec["connection"] = "erp"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_demo_tables_from_postgres_give_the_parquet_runs_kpis_and_no_password_is_written(
    server, password, demo_duckdb_params, demo_computed, tmp_path, monkeypatch
):
    write_exports(demo_computed.results, demo_computed.quality, tmp_path)
    path = demo_params(demo_duckdb_params, server, tmp_path / "pg")
    assert main(["run", str(path), "--only", "data"]) == 0
    run_dir = load_params(path).run_dir
    assert (run_dir / "kpis.csv").read_bytes() == (tmp_path / "kpis.csv").read_bytes()

    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    sales = next(i for i in manifest["inputs"] if i["table"] == "sales")
    assert sales["connection"] == "erp" and sales["url"] == f"postgresql://kam@127.0.0.1:{server.port}/erp"
    assert sales["query"] == 'select * from "sales" where "date" <= :period_end'
    assert sales["bound"] == {"period_end": "2026-09-30"}
    assert sales["rows"] == sales["rows_read"] == next(r.rows_read for r in demo_computed.reports if r.table == "sales")
    written = [p for p in run_dir.rglob("*") if p.is_file()]
    assert len(written) > 10
    assert not [p for p in written if password.encode() in p.read_bytes()]

    # a notebook on the run uses the rows the run read: a wrong password is never tried
    monkeypatch.setenv(PASSWORD_VARIABLE, "wrong")
    assert open_run(run_dir=run_dir).data.reused
    # a changed row changes the rows' hash, so a rerun knows the data changed
    monkeypatch.setenv(PASSWORD_VARIABLE, password)
    params = load_params(path)
    before = {f.table: f.sha256 for f in sql_inputs(params)}
    assert before["sales"] == sales["sha256"]
    execute(server, "update sales set revenue = revenue + 1 where account_id = (select min(account_id) from sales)")
    after = {f.table: f.sha256 for f in sql_inputs(params)}
    forget_prefetched()  # no validation follows
    assert after["sales"] != before["sales"] and after["accounts"] == before["accounts"]


def test_numeric_columns_bound_dates_and_set_aside_rows_named_by_their_key(server, password, tmp_path):
    params = load_params(sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": SALES}, url=server.url()))
    validated = load_and_validate(params)
    report = validated.reports["sales"]
    assert (report.rows_read, report.rows_used, report.rows_set_aside) == (3, 2, 1)
    assert validated.tables["sales"]["revenue"].sum() == pytest.approx(300.5)  # numeric(12,2) comes as text
    quality = validated.quality
    bad = quality[(quality["table"] == "sales") & (quality["kind"] == "set_aside")]
    assert list(bad["source_file"]) == ["connection erp: invoice_date=2026-07-15, cust_no=ZZ"]
    assert list(bad["source_row"]) == [2]


def test_the_password_may_come_from_pgpass(server, password, tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{server.port}:erp:kam:{server.password}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    params = load_params(sql_params(tmp_path, {"accounts": ACCOUNTS}, url=server.url()))
    assert [f.rows for f in sql_inputs(params)] == [2]
    forget_prefetched()  # no validation follows


def test_a_unix_socket_url_reaches_the_server(server, password, tmp_path):
    url = f"postgresql://kam@/erp?host={server.folder}&port={server.port}"
    params = load_params(sql_params(tmp_path, {"accounts": ACCOUNTS}, url=url))
    assert [f.rows for f in sql_inputs(params)] == [2]
    forget_prefetched()  # no validation follows


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "wrong-pw",
            f'password authentication failed for user "kam". Set the password in the environment variable '
            f"{PASSWORD_VARIABLE}",
        ),
        (None, f"no password supplied. Set the password in the environment variable {PASSWORD_VARIABLE}"),
    ],
)
def test_bad_credentials_exit_2_saying_where_the_password_goes(
    server, password, tmp_path, monkeypatch, capsys, given, expected
):
    if given is None:
        monkeypatch.delenv(PASSWORD_VARIABLE)
    else:
        monkeypatch.setenv(PASSWORD_VARIABLE, given)
    path = sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": SALES}, url=server.url())
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert expected in err and "table accounts: cannot connect to connection erp" in err
    assert (given or password) not in err


def test_an_unreachable_server_exits_2(password, tmp_path, capsys):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = sql_params(tmp_path, {"accounts": ACCOUNTS, "sales": SALES}, url=f"postgresql://kam@127.0.0.1:{port}/erp")
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "cannot connect to connection erp" in err and "Connection refused" in err
    assert "Check the host, port and database in data.connections.erp.url" in err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"sql": "selec * from lines"},
            'failed: INVALID_ARGUMENT: Failed to prepare query: ERROR: syntax error at or near "selec"',
        ),
        ({"sql": "select invoice_date, cust_no, qty from lines"}, "column 'net' named in data.tables.sales.columns"),
        (
            {"sql": SALES_SQL.replace(":period_end", ":period_start - 1")},
            "returned no rows (:period_start = 2026-07-01). Check its where clause",
        ),
        (
            {"sql": "select lines.* from lines, pg_sleep(3)"},
            "ran longer than 0.5 s and was stopped. Raise data.connections.erp.query_timeout",
        ),
        ({"sql": "delete from lines returning *"}, "cannot execute DELETE in a read-only transaction"),
    ],
)
def test_query_problems_exit_2_naming_connection_and_table(server, password, tmp_path, capsys, change, expected):
    path = sql_params(
        tmp_path, {"accounts": ACCOUNTS, "sales": {**SALES, **change}}, url=server.url(), query_timeout=0.5
    )
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert expected in err
    assert "table sales" in err and "connection erp" in err
