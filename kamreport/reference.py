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
  compressed too), `.parquet`, `.xlsx` / `.xls` (`sheet:` by name or 0-based index). A glob
  skips the folders it matches. Blank lines and blank sheet rows are skipped; the other rows
  keep the file's own row numbers.
- **Encodings**: `auto` reads UTF-8 with or without BOM; `gbk` (read as GB18030, its
  superset) for Chinese exports; `latin-1` and any Python codec name.
- **Dates**: ISO (`2026-07-15`, with or without time; a time-zone offset such as
  `+08:00` or `Z` is dropped and the date taken as written), `2026/07/15`, `15.07.2026`,
  Excel serial numbers and real date cells are read without help; other text dates need
  `date_format` (e.g. `%d/%m/%y`, `%m/%d/%Y`). A date column that is mostly unreadable
  stops the run and asks for `date_format`, rather than setting most rows aside.
- **Numbers**: `decimal: ","` and `thousands: "."` for European exports. A number must be
  finite and within ± `validation.max_abs_number` (10 000 000 000 000 = 1e13 by default):
  `inf`, `-Infinity`, `NaN` text and `1e308` set their row aside.
- **Column names**: a source column named like a canonical column (case, spaces and
  underscores aside: `Account ID` → `account_id`) maps by itself. An entry in `columns`
  always wins; without one, two source columns that both match a canonical name
  (`Revenue` next to `revenue`, or a header naming a column twice) stop the run with both
  names: map the one to use in `columns`. `_source_file` and `_source_row` are reserved.
- **Derived columns** (`derive`): `+ - * / // % **`, parentheses, numbers, `'text'`,
  comparisons, `and or not`, and the functions `abs round missing coalesce lower upper
  strip str contains startswith endswith`. A column as read counts as text next to text and
  as a number in arithmetic: `(order_status == 'delivered') * quantity`,
  `strip(lower(status)) == 'ok'`, `contains(Product, 'mold')`, and `+` joins text:
  `'C' + str(CustomerID)`. Column names with spaces go in backticks:
  `` `Unit Price` * Quantity ``. Numbers are floats; the exponent of `**` must be a number
  written out, at most 100 (`9**9**9**9` is refused); an expression is at most 2,000
  characters. An expression that cannot be evaluated stops the run at load, naming the
  table, the expression and a sample of the values. Nothing else runs: a params file cannot
  execute code.
- **Lookups** fill a column from another sheet or file by matching a column already read
  (e.g. the owner of each region from a *People* sheet). A value with no match is
  `no match in <sheet> for '<value>'`: the row is set aside when the column is required,
  the field left blank (and noted) otherwise.
- **Set-aside lists** (`set_aside`) put rows whose `match` column appears in another
  sheet's `column` into data_quality.csv with your `reason` (e.g. returned orders); the list
  may be a CSV or a workbook (its first sheet unless `sheet:` says otherwise).
- **Exact duplicates**: a line equal to an earlier one in *every source column* is set
  aside (lines differing only in a column you do not map, such as an item number, are
  kept); `duplicates: mapped` compares only the mapped columns.
- **Accounts from sales** (`accounts.from_table: sales`): one account per `account_id`,
  each column taking its latest non-empty value by sales date (`resolve: latest`) or the
  value under which the account bought most (`resolve: most_revenue`); every account with
  more than one value is listed in data_quality.csv as a `conflict`. A customer who buys in
  several regions counts in one region with all its revenue; each region report's data
  quality chapter lists such accounts with their revenue bought in other regions.
- **One customer under several ids**: accounts whose names are equal once width (NFKC),
  case, spaces, punctuation and legal forms (有限公司, 股份有限公司, Co., Ltd., Inc.,
  GmbH …) are set aside are listed as `possible_duplicate` rows of data_quality.csv (not
  set aside). To merge them, give `data.merge`: a table (CSV, Excel …, read like the others)
  with the columns `account_id` and `into`; each `account_id`'s rows then count under its
  `into` account before any KPI, and run.json lists the merges (`accounts_merged`). Nothing
  is ever merged without it.

## What bad input gets

- Fatal (exit code 2, nothing made): a required table, file or column missing; a file that
  cannot be read (wrong encoding, not a spreadsheet, a truncated or mislabelled `.gz`, a
  folder); two source columns matching one canonical column; a column mostly unreadable;
  a derived-column expression that is invalid or cannot be evaluated; duplicate
  `account_id` in accounts or `opportunity_id` in opportunities; a merge table naming an
  unknown account, merging one twice or in a circle; no sales line in the run's period
  (the message gives the dates the data covers); an invalid params file.
- Set aside (the run goes on): an unreadable, non-finite or out-of-range value, an unknown
  enum value, an empty required value, an unknown `account_id`, a line of an account that
  was itself set aside (its reason says so: `account A00021 set aside: …`), an event date
  (sales, visit, order, delivery, invoice, payment, spend) before `validation.min_date` or
  more than `validation.max_days_after_period` days after the period's end (planned dates
  such as `expected_close` and `due_date` are not limited), an exact duplicate line, a
  duplicate `(order_id, line_no)`, a required lookup without a match, a row listed by a
  `set_aside` rule, an account merged by `data.merge`. Each is written whole to
  `data_quality.csv` with its file, row number and reason. Row numbers are what a person
  sees: in a CSV or a sheet the header is row 1 and the first data row 2 (blank lines
  and rows keep their numbers); in Parquet the first record is row 1.
- Kept with a note (`kind = note`): a bad *optional* field of an account or product
  (status, segment, potential, credit limit …) is left blank and noted — the account and
  its sales stay; an optional lookup without a match likewise.
- A table losing more than `validation.max_reject_share` of its rows fails the run unless
  `--allow-rejects` is given (rows set aside by a `set_aside` rule or a merge do not count).
- Data as of (`data_as_of` in run.json) is the latest sales date, never past the period's
  end.
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
