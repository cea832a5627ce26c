"""A small company database for the SQL source tests: customers, invoice lines, order lines.

The same statements build it in DuckDB and in PostgreSQL; the table sources below map its
columns onto the contract's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import yaml

ERP = [
    "create table customers (cust_no varchar, name varchar, region varchar, owner varchar)",
    "insert into customers values ('A1', 'Alpha', 'East', 'Li'), ('A2', 'Beta', 'South', 'Wu')",
    "create table lines (invoice_date date, cust_no varchar, net decimal(12, 2), qty integer)",
    """insert into lines values
        ('2024-09-30', 'A1', 5, 1), ('2024-10-01', 'A1', 6, 1), ('2026-06-30', 'A1', 999, 1),
        ('2026-07-01', 'A1', 100.50, 2), ('2026-08-01', 'A2', 200, 1), ('2026-07-15', 'ZZ', 5, 1),
        ('2026-10-01', 'A1', 7, 1)""",
    "create table order_lines (order_no varchar, line int, cust_no varchar, ordered date, qty int, sent int)",
    "insert into order_lines values ('O1', 1, 'A1', '2026-07-01', 10, 10), ('O1', 2, 'A1', '2026-07-02', -3, 0)",
]
SALES_SQL = (
    "select * from lines -- a comment with :not_a_placeholder\n"
    "where invoice_date >= :period_start::date and invoice_date <= :period_end and ':period_end' <> 'x' "
    "order by invoice_date, cust_no"
)
ACCOUNTS = {
    "connection": "erp",
    "sql": "select * from customers",
    "columns": {"cust_no": "account_id", "name": "account_name"},
}
SALES = {
    "connection": "erp",
    "sql": SALES_SQL,
    "columns": {"invoice_date": "date", "cust_no": "account_id", "net": "revenue", "qty": "quantity"},
}


def erp_file(folder: Path) -> Path:
    """The database as a DuckDB file, ``folder/erp.duckdb``."""
    path = folder / "erp.duckdb"
    con = duckdb.connect(str(path))
    for statement in ERP:
        con.execute(statement)
    con.close()
    return path


def sql_params(folder: Path, tables: dict[str, Any], url: str = "duckdb:///erp.duckdb", **connection: Any) -> Path:
    """A params file in ``folder`` reading ``tables`` over the connection ``erp`` at ``url``."""
    doc = {
        "period": "2026Q3",
        "output_dir": str(folder / "out"),
        "data": {"base_dir": str(folder), "connections": {"erp": {"url": url, **connection}}, "tables": tables},
        "validation": {"allow_rejects": True},
    }
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path
