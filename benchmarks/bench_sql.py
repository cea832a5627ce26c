"""Time reading 1,000,000 sales lines into Arrow from PostgreSQL (each driver tried) and from DuckDB.

    .venv/bin/python benchmarks/bench_sql.py [--lines 1000000] [--repeat 3]

The demo generator writes its tables into a DuckDB file (``kamreport demo-data --format
duckdb``); the sales table is loaded into a throwaway PostgreSQL server (tests/postgres.py:
initdb in a temporary folder, removed after).  Every figure is the best of ``--repeat`` runs,
each on a fresh connection, of the query kamreport runs for the sales table:

    select * from sales where date >= :history_start and date <= :period_end

Ways measured (rows into one ``pyarrow.Table``):

* ``duckdb file``: the embedded DuckDB reader kamreport uses, dates bound as parameters;
* ``adbc bound``: ADBC (``adbc-driver-postgresql``), dates bound as ``$1``/``$2`` — what
  kamreport does;
* ``adbc literal``: ADBC with the dates written into the text — the driver's COPY path, which
  it uses only for queries without parameters (for comparison: kamreport never pastes values);
* ``psycopg copy csv``: psycopg 3 streaming ``COPY (query) TO STDOUT (FORMAT csv)`` into
  ``pyarrow.csv`` — fast, but the types are guessed from the text (quantity comes back as int);
* ``psycopg rows``: psycopg 3, binary protocol, ``fetchall`` and ``pyarrow.table`` by column.

``kamreport …`` lines time the whole SQL read of a table as the run does it: query, Arrow
types, the hash of the rows and the pandas frame (``kamreport.data.sql.read_sql_table``).
Figures go to stdout and ``results/sql.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the throwaway server of the tests

from postgres import PostgresServer, load_tables, postgres_server  # noqa: E402

from kamreport.data.databases import Query, connected, run_query  # noqa: E402
from kamreport.data.sql import forget_prefetched, read_sql_table  # noqa: E402
from kamreport.demo import write_demo  # noqa: E402
from kamreport.params import parse_params  # noqa: E402

LINES_PER_ACCOUNT = 480  # the demo data's average over three years
QUERY = "select * from sales where date >= :history_start and date <= :period_end"
# 2024-01-01 is the demo's first day (3 years ending 2026Q3): every line is read
BOUND = (("history_start", date(2024, 1, 1)), ("period_end", date(2026, 9, 30)))
TREND_QUARTERS = 11  # the run's :history_start is then 2024Q1's first day too


def measure(ways: dict[str, Callable[[], Any]], repeat: int) -> dict[str, dict[str, float | int]]:
    """Best wall seconds of each way and the rows it read; the ways take turns, so a busy spell
    of the machine slows one round of all of them rather than every run of one."""
    seconds = dict.fromkeys(ways, float("inf"))
    rows = dict.fromkeys(ways, 0)
    for _ in range(repeat):
        for name, read in ways.items():
            started = time.perf_counter()
            table = read()
            seconds[name] = min(seconds[name], time.perf_counter() - started)
            rows[name] = table.num_rows if isinstance(table, pa.Table) else len(table)
    return {name: {"seconds": round(seconds[name], 3), "rows": rows[name]} for name in ways}


def make_database(folder: Path, lines: int) -> Path:
    """The demo tables with about ``lines`` sales lines in ``folder/kam.duckdb`` (written once)."""
    database = folder / "kam.duckdb"
    if not database.is_file():
        write_demo(folder, n_accounts=max(20, lines // LINES_PER_ACCOUNT), fmt="duckdb")
    return database


def postgres_ways(server: PostgresServer) -> dict[str, Callable[[], Any]]:
    import adbc_driver_postgresql.dbapi as pg

    literal = QUERY.replace(":history_start", "'2024-01-01'").replace(":period_end", "'2026-09-30'")
    positional = QUERY.replace(":history_start", "$1").replace(":period_end", "$2")
    values = [v for _, v in BOUND]

    def adbc(text: str, params: list[date] | None) -> Callable[[], pa.Table]:
        def read() -> pa.Table:
            with pg.connect(server.dsn(), autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(text, params)
                return cur.fetch_arrow_table()

        return read

    ways: dict[str, Callable[[], Any]] = {
        "postgres adbc bound": adbc(positional, values),
        "postgres adbc literal": adbc(literal, None),
    }
    try:
        import psycopg
    except ImportError:
        print("psycopg not installed (pip install 'psycopg[binary]'): its figures are left out")
        return ways

    psy_text = QUERY.replace(":history_start", "%s").replace(":period_end", "%s")

    def copy_csv() -> pa.Table:
        buffer = io.BytesIO()
        statement = f"COPY ({psy_text}) TO STDOUT (FORMAT csv, HEADER)"
        with psycopg.connect(server.dsn()) as conn, conn.cursor() as cur, cur.copy(statement, values) as copy:
            for chunk in copy:
                buffer.write(chunk)
        buffer.seek(0)
        return pacsv.read_csv(buffer)

    def rows() -> pa.Table:
        with psycopg.connect(server.dsn()) as conn, conn.cursor(binary=True) as cur:
            cur.execute(psy_text, values)
            names = [d.name for d in cur.description or []]
            columns = list(zip(*cur.fetchall(), strict=True))
            return pa.table({n: pa.array(c) for n, c in zip(names, columns, strict=True)})

    ways["postgres psycopg copy csv"] = copy_csv
    ways["postgres psycopg rows"] = rows
    return ways


def kamreport_read(connection_url: str, base_dir: Path) -> Callable[[], Any]:
    """The run's own read of the sales table: query, Arrow types, rows hash, pandas frame."""
    params = parse_params(
        {
            "period": "2026Q3",
            "kpi": {"trend_quarters": TREND_QUARTERS},
            "data": {
                "base_dir": str(base_dir),
                "connections": {"bench": {"url": connection_url}},
                "tables": {"sales": {"connection": "bench", "sql": QUERY}},
            },
        }
    )

    def read() -> Any:
        forget_prefetched()
        return read_sql_table("sales", params.data.tables["sales"], params).frame

    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    args = parser.parse_args()

    folder = args.data_dir / f"sql-{args.lines}"
    database = make_database(folder, args.lines)
    con = duckdb.connect(str(database), read_only=True)
    sales = con.sql("select * from sales").to_arrow_table()
    con.close()
    duck_query = Query("sales", "bench", "duckdb:///kam.duckdb", QUERY, BOUND, 600, str(database))

    def duck() -> pa.Table:
        with connected(duck_query) as fetch:
            return run_query(duck_query, fetch)

    print(f"{sales.num_rows:,} sales lines in {database}; best of {args.repeat}, the ways taking turns")
    with postgres_server() as server:
        started = time.perf_counter()
        load_tables(server, {"sales": sales})
        print(f"(loaded into PostgreSQL in {time.perf_counter() - started:.1f} s)")
        os.environ["KAMREPORT_DB_BENCH_PASSWORD"] = server.password
        ways = {
            "duckdb file": duck,
            "kamreport read, duckdb": kamreport_read("duckdb:///kam.duckdb", folder),
            **postgres_ways(server),
            "kamreport read, postgres": kamreport_read(server.url(), folder),
        }
        figures = measure(ways, args.repeat)
    for name, figure in figures.items():
        print(f"{name:30s} {figure['rows']:>10,} rows  {figure['seconds']:6.2f} s")

    postgres = {k: v for k, v in figures.items() if k.startswith("postgres")}
    fastest = min(postgres, key=lambda k: float(postgres[k]["seconds"]))
    print(f"fastest from PostgreSQL: {fastest}")
    result = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "cores": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "sales_lines": sales.num_rows,
        "repeat": args.repeat,
        "figures": figures,
        "fastest_postgres": fastest,
    }
    (HERE / "results" / "sql.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
