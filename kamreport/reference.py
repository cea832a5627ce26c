"""params/README.md, generated from the schema so that it never drifts from the code.

``python -m kamreport.reference > params/README.md`` rewrites it; a test fails when the
committed file differs from what this module renders.
"""

from __future__ import annotations

from kamreport.contract import TABLES
from kamreport.params import default_actions, documented_keys

_INTRO = """\
# Params reference

A run is described by one YAML file (`params/demo.yaml` is a complete example). Every key
below is optional unless its default says *required*; a key that is not listed here is an
error naming the key, the file and the closest valid key. Paths in a params file are taken
relative to the file's folder (`data.base_dir`, `output_dir`), and table paths relative to
`data.base_dir`.

This page is generated from the code (`python -m kamreport.reference > params/README.md`);
the thresholds marked *(param)* in KPI_DEFINITIONS.md are all here.

## Keys

| key | default | meaning |
|---|---|---|
"""

_SOURCES = """
## Reading a company's own exports

Each table under `data.tables` names its file(s) and maps the company's column names onto
the canonical ones below:

```yaml
data:
  base_dir: ../exports
  date_format: "%d/%m/%Y"          # default for text dates in every table
  tables:
    sales:
      path: erp_lines_*.csv.gz       # a glob: every matching file, in name order
      encoding: gbk                  # Chinese Excel export; latin-1 for Western ones
      columns: {开票日期: date, 客户编码: account_id, 金额: revenue}
      derive:
        cost: "金额 - 毛利"            # an expression over source columns
    accounts:
      from_table: sales              # no customer master: derive accounts from the lines
      columns: {客户编码: account_id, 客户名称: account_name, 区域: region}
      lookups:
        owner: {path: people.xlsx, sheet: 区域经理, key: 区域, value: 经理, by: region}
```

- **Files**: `.csv` (any of `, ; tab |` as delimiter, detected from the header; `.gz`
  compressed too), `.parquet`, `.xlsx` / `.xls` (`sheet:` by name or 0-based index).
- **Encodings**: `auto` reads UTF-8 with or without BOM; `gbk` (read as GB18030, its
  superset) for Chinese exports; `latin-1` and any Python codec name.
- **Dates**: ISO (`2026-07-15`, with or without time), `2026/07/15`, `15.07.2026`, Excel
  serial numbers and real date cells are read without help; other text dates need
  `date_format` (e.g. `%d/%m/%y`, `%m/%d/%Y`). A date column that is mostly unreadable
  stops the run and asks for `date_format`, rather than setting most rows aside.
- **Numbers**: `decimal: ","` and `thousands: "."` for European exports.
- **Column names**: a source column named like a canonical column (case, spaces and
  underscores aside: `Account ID` → `account_id`) maps by itself.
- **Derived columns** (`derive`): `+ - * / // % **`, parentheses, numbers, `'text'`,
  comparisons, `and or not`, and the functions `abs round missing coalesce lower upper`.
  Column names with spaces go in backticks: `` `Unit Price` * Quantity ``. Nothing else
  runs: a params file cannot execute code.
- **Lookups** fill a column from another sheet or file by matching a column already read
  (e.g. the owner of each region from a *People* sheet).
- **Set-aside lists** (`set_aside`) put rows whose `match` column appears in another
  sheet's `column` into data_quality.csv with your `reason` (e.g. returned orders).
- **Accounts from sales** (`accounts.from_table: sales`): one account per `account_id`,
  each column taking its latest non-empty value by sales date (`resolve: latest`) or the
  value under which the account bought most (`resolve: most_revenue`); every account with
  more than one value is listed in data_quality.csv as a `conflict`.

## Tables from a database (`connections` and `sql`)

Any table may come from a SQL query instead of a file: `connection` names an entry of
`data.connections` and `sql` is the query. Its result is read like a file — the same
`columns`, `derive`, `lookups` (with a `path`), `set_aside` rules (with a `path`), checks and
reconciliation.

```yaml
data:
  connections:
    erp: {url: "postgresql://kam@db.example:5432/erp", query_timeout: 300}
    local: {url: "duckdb:///kam.duckdb"}     # a file, relative to data.base_dir
  tables:
    sales:
      connection: erp
      sql: >
        select * from sales_lines
        where invoice_date >= :history_start and invoice_date <= :period_end
        order by invoice_no, line_no
      columns: {invoice_date: date, customer_no: account_id, net_amount: revenue}
    receivables:
      connection: erp
      sql: "select * from open_items where invoice_date <= :period_end"   # older invoices too
```

- **Databases**: PostgreSQL (`postgresql://user@host:port/database`, read through ADBC:
  `pip install 'kamreport[postgres]'`, which `make` installs) and DuckDB files
  (`duckdb:///file.duckdb` relative to `data.base_dir`, `duckdb:////abs/path.duckdb` absolute;
  embedded, no server). Connection names are identifiers: `[a-z][a-z0-9_]*`.
- **Passwords** never go in the params file: a URL holding one is refused (exit 2). The
  password of connection `erp` comes from the environment variable
  `KAMREPORT_DB_ERP_PASSWORD`, else from PostgreSQL's own password file `~/.pgpass`
  (`host:port:database:user:password`). Nothing kamreport writes contains it.
- **Placeholders**, bound as query parameters (never pasted into the text): `:history_start`
  the first day of the first trend quarter (`kpi.trend_quarters` quarters ending with the
  period), `:period_start` and `:period_end` the period's first and last day. A `::` cast is
  not a placeholder; any other `:name` is refused. The query decides its window: receivables,
  for example, need invoices issued before `:history_start`.
- **Read only**: each query runs in a read-only session with a timeout
  (`query_timeout`, seconds).
- **What is recorded**: run.json (`inputs`) and params.json (`queries`) hold, per SQL
  table, the connection name, its URL, the query text, the values bound, the rows returned
  and a SHA-256 over the rows. That hash keys the stored results as a file's does, so a rerun
  recomputes exactly when the rows changed. `kamreport run` queries the database once per
  run; a report notebook opened on the run folder uses the rows the run read.
- **Rows set aside** from a query are named in data_quality.csv by the table's key columns
  (`connection erp: order_no=O1, line=2`; a table without a key by its required id and date
  columns) and `source_row` is the row's position in the result — the same on a rerun only
  when the query has an `ORDER BY`.
- **Fatal** (exit 2, naming the connection and the table, never the password): a server that
  cannot be reached, refused credentials, a query error or timeout, a query returning no
  rows, a column returned twice, a mapped column the query does not return.

## What bad input gets

- Fatal (exit code 2, nothing made): a required table, file or column missing, a file that
  cannot be read, a column mostly unreadable, duplicate `account_id` in accounts or
  `opportunity_id` in opportunities, an invalid params file.
- Set aside (the run goes on): an unreadable or out-of-range value, an unknown enum value, an
  empty required value, an unknown `account_id`, an exact duplicate line, a duplicate
  `(order_id, line_no)`, a row listed by a `set_aside` rule. Each is written whole to
  `data_quality.csv` with its file, row number and reason. Row numbers are what a person
  sees: in a CSV or a sheet the header is row 1 and the first data row 2; in Parquet the
  first record is row 1.
- A table losing more than `validation.max_reject_share` of its rows fails the run unless
  `--allow-rejects` is given.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_reference() -> str:
    """The whole of params/README.md."""
    lines = [_INTRO.rstrip("\n")]
    for key, default, meaning in documented_keys():
        lines.append(f"| `{key}` | {_cell(default)} | {_cell(meaning)} |")
    lines.append("")
    lines.append("### Default recommended-action rules (`planning.actions`)")
    lines.append("")
    lines.append("Conditions use KPI ids and accounts.csv columns; `{name:format}` fills values into the text.")
    lines.append("")
    lines.append("| id | when | en | zh |")
    lines.append("|---|---|---|---|")
    for rule in default_actions():
        lines.append(f"| {rule.id} | `{_cell(rule.when)}` | {_cell(rule.en)} | {_cell(rule.zh)} |")
    lines.append(_SOURCES.rstrip("\n"))
    lines.append("")
    lines.append("## Tables and canonical columns")
    lines.append("")
    lines.append(
        "**R** = required column. `accounts` and `sales` are required tables; the others enable their sections."
    )
    for table in TABLES.values():
        lines.append("")
        lines.append(f"### {table.name}{' (required)' if table.required else ''} — {table.doc}")
        lines.append("")
        lines.append("| column | type | notes |")
        lines.append("|---|---|---|")
        for col in table.columns:
            required = " **R**" if col.required else ""
            notes = col.doc + (f" (default {col.default})" if col.default else "")
            lines.append(f"| {col.name} | {_cell(col.type_label)}{required} | {_cell(notes)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_reference(), end="")
