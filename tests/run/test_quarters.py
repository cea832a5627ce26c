"""Quarter after quarter: the next params file, and runs of different quarters side by side."""

from __future__ import annotations

import pytest
from conftest import write_demo_params
from rich.console import Console

from kamreport.errors import ParamsError
from kamreport.params import load_params
from kamreport.run.pack import PackOptions, make_pack
from kamreport.run.quarters import write_next_quarter

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
