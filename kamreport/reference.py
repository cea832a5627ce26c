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
  `--allow-rejects` is given. The rule is applied on every run, also when the stored results
  are reused (a run with `--allow-rejects` does not let the next run without it through);
  rows removed by a `set_aside` rule are a choice, not rejects, and never count.

## What the run itself guards against

- **The params file**: it must be UTF-8 text (else: exit 2 naming the file, the line and
  what to do); a key given twice in one mapping is refused naming the key and both lines
  (plain YAML would keep the last one silently); `regions` naming a region no account has
  stops the run, listing the regions the data has; `run_name` must be a plain file name.
- **The command line**: an unknown value for `--only`, `--region` or `--account` is exit 2
  naming it and the valid ones, before any report is rendered.
- **Stale results and reports**: the results store is keyed by the SHA-256 of every input
  file, the params that shape numbers and kamreport's code. A stored hash is reused only while
  the file's device, inode, size, modification and change times all match (a same-size edit
  with its time stamp put back by `touch -r` is seen). `--resume` keeps a finished report only
  when it was made from the current results and the same render inputs (language,
  `report.*`, the notebook's content, kamreport's version); any other is made again.
  `run.json` records the hashes of the files actually read, also after `--force`; a file that
  changes while it is read stops the run.
- **One run per run folder**: a run holds a lock on its folder; a second run on the same
  folder stops at once (exit 2) naming the process that holds it. An output folder that
  cannot be written is exit 2 naming it.
- **A killed run**: `run.json` is written as each report finishes, so `--resume` after a
  crash or `kill -9` makes only the reports that had not finished; the render workers and
  their kernels notice their parent is gone and exit within a second or two.
- **Text is never code**: names become folder names through safe slugs (any script kept;
  separators, `..`, control characters and Windows device names such as `CON` or `NUL.txt`
  never; names that differ only in case get distinct folders, as Windows and macOS need);
  workbooks write every name as text (never a formula); HTML escapes it; console messages
  print paths, headers, ids and names as written (`[/x]` is not rich markup).
- **CSV exports** (`kpis.csv`, `accounts.csv`, `data_quality.csv`): a text cell beginning
  with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so that Excel and
  LibreOffice show it instead of running it as a formula (OWASP "CSV injection"); text that
  is a plain number (`-5`) and numeric columns are written as they are. Rows end with CRLF.
  kamreport never reads these files back: its own store is Parquet.
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
