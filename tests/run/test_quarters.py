"""Quarter after quarter: the next params file, and runs of different quarters side by side."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from builders import validate_files
from conftest import write_demo_params
from rich.console import Console

from kamreport.contract import TABLES
from kamreport.errors import ParamsError
from kamreport.params import load_params
from kamreport.run.pack import PackOptions, make_pack
from kamreport.run.quarters import write_next_quarter
from kamreport.run.store import load_or_compute

PARAMS = """# our quarterly run
period: 2026Q3   # the quarter reported
run_name: east-2026Q3
data:
  base_dir: exports
  tables:
    accounts: {path: customers.xlsx, sheet: Master}
    sales:
      path: sales_2026Q3.csv   # from the ERP
    visits: {path: visits/2026Q3/log.csv}
"""


def test_new_quarter_moves_the_period_on_and_flags_every_path(tmp_path):
    source = tmp_path / "2026Q3.yaml"
    source.write_text(PARAMS, encoding="utf-8")
    target = write_next_quarter(source)
    assert target == tmp_path / "2026Q4.yaml"
    text = target.read_text(encoding="utf-8")
    assert "# our quarterly run" in text and "period: 2026Q4   # the quarter reported" in text
    assert "run_name: east-2026Q4" in text
    assert "path: sales_2026Q4.csv  # UPDATE: was 2026Q3; check the 2026Q4 export is there; from the ERP" in text
    assert "{path: visits/2026Q4/log.csv}  # UPDATE: was 2026Q3" in text
    assert (
        "{path: customers.xlsx, sheet: Master}  # UPDATE: point at the 2026Q4 export if this file is not cumulative"
        in text
    )
    assert load_params(target).period == "2026Q4"
    with pytest.raises(ParamsError, match="already exists"):
        write_next_quarter(source)


def test_runs_of_two_quarters_sit_side_by_side_and_the_later_links_the_earlier(tmp_path):
    path = write_demo_params(tmp_path, n_accounts=40)
    quiet = Console(quiet=True)
    earlier = make_pack(load_params(path, period="2026Q2"), PackOptions(only=["data"]), quiet)
    later = make_pack(load_params(path), PackOptions(only=["data"]), quiet)
    output = tmp_path / "output"
    assert sorted(p.name for p in output.iterdir()) == ["2026Q2", "2026Q3"]
    assert earlier.index and later.index
    page = later.index.read_text(encoding="utf-8")
    assert 'href="../2026Q2/index.html"' in page
    assert (output / "2026Q2" / "kpis.csv").is_file() and (output / "2026Q3" / "kpis.csv").is_file()


def test_new_quarter_drafts_next_quarters_objectives_beside_the_params(tmp_path, demo_params_file):
    from kamreport.cli import main

    source = tmp_path / "2026Q3.yaml"
    source.write_text(demo_params_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["new-quarter", str(source)]) == 0
    drafted = tmp_path / "objectives_2026Q4.xlsx"
    assert (tmp_path / "2026Q4.yaml").is_file() and drafted.is_file()
    sheet = openpyxl.load_workbook(drafted).active
    header = [c.value for c in sheet[1]]
    assert header == [*TABLES["objectives"].names, "account_name", "source"]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    results = load_or_compute(load_params(demo_params_file)).results
    still_open = results.objectives[results.objectives["status"] == "open"]
    carried = [r for r in rows if r["source"].startswith("open")]
    drafts = [r for r in rows if r["source"].startswith("draft from action")]
    assert len(carried) == len(still_open) > 0 and len(carried) + len(drafts) == len(rows)
    assert len(drafts) == results.actions["account_id"].notna().sum() + (results.actions["scope"] == "group").sum()
    first = drafts[0]
    assert first["due"] == datetime(2026, 12, 31) and first["status"] == "open" and first["quarter"] == "2026Q4"
    assert first["objective"] in set(results.actions["en"]) and first["party"] == "us"
    plan = results.accounts.set_index("account_id")
    assert first["owner"] == plan.loc[first["account_id"], "owner"]
    assert all(
        sheet.cell(row=i, column=2).data_type == "s" for i in range(2, sheet.max_row + 1)
    )  # text, never a formula
    # the file is next quarter's objectives table as it stands
    (tmp_path / "back").mkdir()
    back = validate_files(tmp_path / "back", {"sales": demo_params_file.parent / "data" / "sales.parquet",
                                              "accounts": demo_params_file.parent / "data" / "accounts.parquet",
                                              "objectives": {"path": str(drafted)}})  # fmt: skip
    report = back.reports["objectives"]
    assert report.rows_read == len(rows) and report.rows_used == len(rows) and report.rows_set_aside == 0
    assert main(["new-quarter", str(source)]) == 2  # never overwrites what the managers may have edited


def test_new_quarter_params_only_needs_no_data(tmp_path):
    from kamreport.cli import main

    source = tmp_path / "2026Q3.yaml"
    source.write_text(PARAMS, encoding="utf-8")
    assert main(["new-quarter", str(source)]) == 2  # the run's data are not there: nothing is written
    assert not (tmp_path / "2026Q4.yaml").exists()
    assert main(["new-quarter", str(source), "--params-only"]) == 0
    assert (tmp_path / "2026Q4.yaml").is_file() and not (tmp_path / "objectives_2026Q4.xlsx").exists()
