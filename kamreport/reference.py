"""params/README.md, generated from the schema so that it never drifts from the code.

``python -m kamreport.reference > params/README.md`` rewrites it; a test fails when the
committed file differs from what this module renders.
"""

from __future__ import annotations

from kamreport.contract import RECIPIENTS, TABLES, Table
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

_RECIPIENTS = """
`mail.recipients` is read like a table (CSV, Excel or Parquet; `columns`, `lookups` and
`derive` as under `data.tables`), but it is not an input of the results: editing an address
never recomputes anything, and its rows never count towards the reject limit. A row with an
invalid address, an unknown scope, a scope whose report is not in the run folder, or the same
address and scope as an earlier row is set aside into `output/<run>/mail/rejected.csv` with
its file, row number and reason; the others still get their mail.
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
        lines.extend(_columns(table, f"{table.name}{' (required)' if table.required else ''}"))
    lines.append("")
    lines.append("## Recipients of `kamreport mail`")
    lines.append("")
    lines.append(_RECIPIENTS.strip("\n"))
    lines.extend(_columns(RECIPIENTS, "recipients (`mail.recipients`)"))
    return "\n".join(lines) + "\n"


def _columns(table: Table, heading: str) -> list[str]:
    lines = ["", f"### {heading} — {table.doc}", "", "| column | type | notes |", "|---|---|---|"]
    for col in table.columns:
        required = " **R**" if col.required else ""
        notes = col.doc + (f" (default {col.default})" if col.default else "")
        lines.append(f"| {col.name} | {_cell(col.type_label)}{required} | {_cell(notes)} |")
    return lines


if __name__ == "__main__":  # pragma: no cover
    print(render_reference(), end="")
