"""Text is never code: hostile region and account names stay inside the output folder and escaped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import write_demo_params
from rich.console import Console

from kamreport.files import slug, unique_slugs
from kamreport.params import load_params
from kamreport.run.pack import PackOptions, make_pack

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pack")]

EVIL_REGION = "../../evil/华东\\x"
SCRIPT_NAME = "<script>alert('x')</script>"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("华东", "华东"),
        ("East/华东", "East_华东"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "unnamed"),
        ("a\\b:c*d?e", "a_b_c_d_e"),
        ("CON", "x_CON"),
        ("  spaced  name ", "spaced_name"),
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_slugs_that_collide_are_told_apart():
    slugs = unique_slugs(["East/1", "East_1", "North"])
    assert slugs["North"] == "North"
    assert slugs["East/1"] != slugs["East_1"] and all(
        s.startswith("East_1") for s in (slugs["East/1"], slugs["East_1"])
    )


def test_hostile_names_stay_inside_and_are_escaped(tmp_path):
    path = write_demo_params(tmp_path, n_accounts=60)
    accounts_file = tmp_path / "data" / "accounts.parquet"
    accounts = pd.read_parquet(accounts_file)
    accounts.loc[accounts["region"] == "South", "region"] = EVIL_REGION
    target = accounts["account_id"].iloc[0]
    accounts.loc[accounts["account_id"] == target, "account_name"] = SCRIPT_NAME
    accounts.to_parquet(accounts_file)
    params = load_params(path)
    params = params.model_copy(update={"render": params.render.model_copy(update={"company_report": False})})
    quiet = Console(quiet=True)
    regional = make_pack(params, PackOptions(only=["data", "html"], regions=[EVIL_REGION]), quiet)
    result = make_pack(params, PackOptions(only=["data", "html"], accounts=[target]), quiet)
    assert regional.exit_code == 0 and result.exit_code == 0
    assert {j["kind"] for j in regional.jobs} >= {"region"}
    run_dir = params.run_dir.resolve()
    made = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(run_dir in p.resolve().parents or tmp_path / "data" in p.parents or p.parent == tmp_path for p in made)
    assert not (tmp_path.parent / "evil").exists()
    plan = next(j for j in result.jobs if j["kind"] == "account")
    page = (run_dir / plan["files"]["html"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>" not in page
    regions = sorted(p.name for p in (run_dir / "regions").iterdir())
    assert regions == ["evil_华东_x"]
    region_page = next((run_dir / "regions" / "evil_华东_x").glob("*.html")).read_text(encoding="utf-8")
    assert "../../evil/华东" in region_page.replace("&#x27;", "'") or "../../evil/华东" in region_page
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index
    assert isinstance(Path(plan["files"]["html"]), Path)
