"""The whole pack on small data: papermill runs every notebook, failures are contained, resume redoes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, write_demo_params
from rich.console import Console

from kamreport.params import load_params
from kamreport.run.pack import PackOptions, make_pack

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pack")]


def _console() -> Console:
    return Console(file=open("/dev/null", "w"), width=120)


def _params(folder: Path, **render: object):  # type: ignore[no-untyped-def]
    path = write_demo_params(folder, n_accounts=60, render={"workers": 2, **render})
    return load_params(path)


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Company, regions and a few account plans of a 60-account demo, rendered once."""
    folder = tmp_path_factory.mktemp("pack")
    params = _params(folder)
    accounts = sorted(pd.read_parquet(folder / "data" / "accounts.parquet")["account_id"])
    result = make_pack(params, PackOptions(), _console())
    return params, result, accounts


def test_every_report_is_made_and_recorded(small_pack):  # type: ignore[no-untyped-def]
    params, result, _ = small_pack
    run_dir = params.run_dir
    assert result.exit_code == 0
    for name in ("index.html", "run.json", "kpis.csv", "accounts.csv", "data_quality.csv"):
        assert (run_dir / name).is_file(), name
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    kinds = {j["kind"] for j in manifest["jobs"]}
    assert kinds >= {"company", "region", "account"}
    assert all(j["status"] == "ok" for j in manifest["jobs"])
    for job in manifest["jobs"]:
        for rel in job["files"].values():
            assert (run_dir / rel).is_file()
        assert set(job["files"]) >= {"html", "ipynb"}
    regions = sorted(p.name for p in (run_dir / "regions").iterdir())
    assert regions == ["East", "North", "South"]


def test_run_json_reconciles_rows_and_hashes(small_pack):  # type: ignore[no-untyped-def]
    params, _, _ = small_pack
    manifest = json.loads((params.run_dir / "run.json").read_text(encoding="utf-8"))
    import hashlib

    for item in manifest["inputs"]:
        assert item["rows_read"] == item["rows_used"] + item["rows_set_aside"]
        assert hashlib.sha256(Path(item["path"]).read_bytes()).hexdigest() == item["sha256"]
    assert manifest["versions"]["kamreport"] and manifest["versions"]["papermill"]
    assert manifest["params"]["period"] == "2026Q3"
    for stage in ("render", "publish"):
        assert stage in manifest["stages"]


def test_html_reports_have_no_code_and_embed_their_images(small_pack):  # type: ignore[no-untyped-def]
    params, _, _ = small_pack
    page = (params.run_dir / "regions" / "East" / "kam_East_2026Q3.html").read_text(encoding="utf-8")
    assert "kr.show(" not in page and "import kamreport" not in page and "In&nbsp;[" not in page
    assert page.count("data:image/png;base64,") >= 8
    assert "<script" not in page and "http://" not in page and "https://" not in page
    for section in ("summary", "accounts", "positioning", "targets", "pipeline", "execution", "notes"):
        assert f'<section id="{section}">' in page
    assert "Key-account report — East — 2026Q3" in page


def test_executed_notebooks_are_kept_beside_the_outputs(small_pack):  # type: ignore[no-untyped-def]
    params, _, _ = small_pack
    notebook = nbformat.read(params.run_dir / "regions" / "South" / "kam_South_2026Q3.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in code)
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))


def test_index_links_every_report(small_pack):  # type: ignore[no-untyped-def]
    params, result, _ = small_pack
    page = (params.run_dir / "index.html").read_text(encoding="utf-8")
    for job in result.jobs:
        assert job["files"]["html"] in page
    assert "kpis.csv" in page and "data_quality.csv" in page


def test_the_notebooks_in_the_repo_are_committed_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert all(
            not c.get("outputs") and not c.get("execution_count") for c in notebook.cells if c.cell_type == "code"
        )
        assert any("parameters" in c.metadata.get("tags", []) for c in notebook.cells)


def _failing_notebooks(folder: Path) -> Path:
    notebooks = folder / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    path = notebooks / "region_report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first_code = next(
        i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "import kamreport" in c.source
    )
    notebook.cells[
        first_code
    ].source += '\nif region == "South":\n    raise RuntimeError("deliberate failure for the test")'
    nbformat.write(notebook, path)
    return notebooks


def test_a_failing_job_leaves_the_others_and_resume_redoes_only_it(tmp_path):
    notebooks = _failing_notebooks(tmp_path)
    params = _params(tmp_path, account_plans=False, company_report=False, notebooks_dir=str(notebooks))
    first = make_pack(params, PackOptions(only=["data", "html"]), _console())
    assert first.exit_code == 1
    status = {j["id"]: j["status"] for j in first.jobs}
    assert status == {"region:East": "ok", "region:North": "ok", "region:South": "failed"}
    failed = next(j for j in first.jobs if j["id"] == "region:South")
    assert "deliberate failure" in failed["error"]
    error_notebook = nbformat.read(params.run_dir / failed["files"]["ipynb"], as_version=4)
    assert any(o.get("output_type") == "error" for c in error_notebook.cells for o in c.get("outputs", []))
    east_html = params.run_dir / "regions" / "East" / "kam_East_2026Q3.html"
    assert east_html.is_file()
    made = east_html.stat().st_mtime_ns
    manifest = json.loads((params.run_dir / "run.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == ["region:South"]

    shutil.copy(ROOT / "notebooks" / "region_report.ipynb", notebooks / "region_report.ipynb")
    second = make_pack(params, PackOptions(only=["data", "html"], resume=True), _console())
    assert second.exit_code == 0
    assert {j["id"]: j["status"] for j in second.jobs} == {
        "region:East": "ok",
        "region:North": "ok",
        "region:South": "ok",
    }
    assert east_html.stat().st_mtime_ns == made  # not rendered again
    assert (params.run_dir / "regions" / "South" / "kam_South_2026Q3.html").is_file()
