"""The whole pack on small data: papermill runs every notebook, failures are contained, resume redoes them."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest
from conftest import ROOT, write_demo_params
from rich.console import Console

from kamreport.params import load_params
from kamreport.records import QUALITY_COLUMNS
from kamreport.run.manifest import JOURNAL, read_manifest
from kamreport.run.pack import PackOptions, make_pack

pytestmark = pytest.mark.slow
# the tests of the module's pack share one worker; the others build their own runs and go wherever there is room
SMALL_PACK = pytest.mark.xdist_group("pack")
# one key account (the largest; tier A ends below 1 % of revenue) and so one plan, instead of fourteen
ONE_PLAN = {
    "tiers": {"a_cum_share": 0.01, "b_cum_share": 0.01},
    "key_account": {"tiers": ["A"], "min_potential_monthly": 1e15},
}


def _console() -> Console:
    return Console(file=open("/dev/null", "w"), width=120)


def _params(folder: Path, planning: dict[str, object] | None = None, **render: object):  # type: ignore[no-untyped-def]
    path = write_demo_params(
        folder, n_accounts=60, render={"workers": 2, **render}, **({"planning": planning} if planning else {})
    )
    return load_params(path)


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Company, regions and one account plan of a 60-account demo, rendered once."""
    folder = tmp_path_factory.mktemp("pack")
    params = _params(folder, planning=ONE_PLAN)
    accounts = sorted(pd.read_parquet(folder / "data" / "accounts.parquet")["account_id"])
    result = make_pack(params, PackOptions(), _console())
    return params, result, accounts


@SMALL_PACK
def test_every_report_is_made_and_recorded(small_pack):  # type: ignore[no-untyped-def]
    params, result, _ = small_pack
    run_dir = params.run_dir
    assert result.exit_code == 0
    for name in ("index.html", "run.json", "kpis.csv", "kpis_history.parquet", "accounts.csv", "data_quality.csv"):
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


@SMALL_PACK
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


@SMALL_PACK
def test_html_reports_have_no_code_and_embed_their_images(small_pack):  # type: ignore[no-untyped-def]
    params, _, _ = small_pack
    page = (params.run_dir / "regions" / "East" / "kam_East_2026Q3.html").read_text(encoding="utf-8")
    assert "kr.show(" not in page and "import kamreport" not in page and "In&nbsp;[" not in page
    assert page.count("data:image/png;base64,") >= 8
    assert "<script" not in page and "http://" not in page and "https://" not in page
    for section in ("summary", "accounts", "positioning", "targets", "pipeline", "execution", "notes"):
        assert f'<section id="{section}">' in page
    assert "Key-account report — East — 2026Q3" in page


@SMALL_PACK
def test_executed_notebooks_are_kept_beside_the_outputs(small_pack):  # type: ignore[no-untyped-def]
    params, _, _ = small_pack
    notebook = nbformat.read(params.run_dir / "regions" / "South" / "kam_South_2026Q3.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in code)
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))


@SMALL_PACK
def test_index_links_every_report(small_pack):  # type: ignore[no-untyped-def]
    params, result, _ = small_pack
    page = (params.run_dir / "index.html").read_text(encoding="utf-8")
    for job in result.jobs:
        assert job["files"]["html"] in page
    assert "kpis.csv" in page and "data_quality.csv" in page
    # every report with its job's status, and the regions side by side with the company's total
    for region in ("East", "North", "South"):
        assert re.search(rf"<tr><td>{region}</td><td><a [^<]*</a></td><td>[^\n]*<td>made</td></tr>", page), region
    regions = page[page.index('id="T_regions"') :]
    regions = regions[: regions.index("</table>")]
    assert all(f">{name}</td>" in regions for name in ("East", "North", "South", "Total"))


def test_the_notebooks_in_the_repo_are_committed_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert all(
            not c.get("outputs") and not c.get("execution_count") for c in notebook.cells if c.cell_type == "code"
        )
        assert any("parameters" in c.metadata.get("tags", []) for c in notebook.cells)


def _failing_notebooks(folder: Path) -> tuple[Path, Path]:
    """The kit's notebooks, with South failing while a marker file exists (the notebook itself stays the same)."""
    notebooks = folder / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    marker = folder / "fail-south"
    marker.touch()
    path = notebooks / "region_report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first_code = next(
        i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "import kamreport" in c.source
    )
    notebook.cells[first_code].source += (
        f'\nif region == "South" and __import__("os").path.exists({str(marker)!r}):\n'
        '    raise RuntimeError("deliberate failure for the test")'
    )
    nbformat.write(notebook, path)
    return notebooks, marker


def _region_revenue(run_dir: Path, region: str) -> str:
    kpis = pd.read_csv(run_dir / "kpis.csv", encoding="utf-8-sig", dtype={"key": str})
    rows = kpis.query("period == '2026Q3' and level == 'region' and key == @region and kpi == 'revenue'")
    value = rows["value"].item()
    return f"{value:,.0f}"


def test_a_failing_job_leaves_the_others_and_resume_redoes_only_it(tmp_path):
    notebooks, marker = _failing_notebooks(tmp_path)
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
    assert manifest["failed"] == ["region:South"] and manifest["complete"]
    index = (params.run_dir / "index.html").read_text(encoding="utf-8")
    assert "<tr><td>South</td><td></td><td></td><td>failed</td></tr>" in index

    marker.unlink()
    second = make_pack(params, PackOptions(only=["data", "html"], resume=True), _console())
    assert second.exit_code == 0
    assert {j["id"]: j["status"] for j in second.jobs} == {
        "region:East": "ok",
        "region:North": "ok",
        "region:South": "ok",
    }
    assert east_html.stat().st_mtime_ns == made  # not rendered again
    assert (params.run_dir / "regions" / "South" / "kam_South_2026Q3.html").is_file()

    # the inputs change: every report made from the old data is stale, --resume makes them all again
    old = _region_revenue(params.run_dir, "East")
    assert old in east_html.read_text(encoding="utf-8")
    sales_file = tmp_path / "data" / "sales.parquet"
    sales = pd.read_parquet(sales_file)
    sales["revenue"] *= 2
    sales.to_parquet(sales_file)
    third = make_pack(params, PackOptions(only=["data", "html"], resume=True), _console())
    assert third.exit_code == 0 and not third.computed.reused
    assert {j["id"] for j in third.jobs if j["results_key"] == third.computed.key} == {
        "region:East",
        "region:North",
        "region:South",
    }
    assert east_html.stat().st_mtime_ns != made
    new = _region_revenue(params.run_dir, "East")
    page = east_html.read_text(encoding="utf-8")
    assert new != old and new in page and old not in page  # the report says what kpis.csv says


def test_a_report_is_stale_when_a_render_input_changes(demo_computed, tmp_path):
    """The language, report.*, the notebook's content or the results make a different render key."""
    from dataclasses import replace

    from kamreport.report.views import Run
    from kamreport.run.jobs import Selection, plan_jobs

    def key(run: Run, notebooks: Path | None = None) -> str:
        jobs = plan_jobs(run, run.layout(), Selection(regions=("East",), outputs=("html",)), notebooks)
        return next(j.render_key for j in jobs if j.id == "region:East")

    base = key(Run(demo_computed, "en"))
    assert key(Run(demo_computed, "en")) == base  # the same inputs: the same key
    assert key(Run(demo_computed, "zh")) != base
    params = demo_computed.params
    fewer = params.model_copy(update={"report": params.report.model_copy(update={"what_changed_items": 3})})
    assert key(Run(replace(demo_computed, params=fewer), "en")) != base
    assert key(Run(replace(demo_computed, key="another results key"), "en")) != base
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    assert key(Run(demo_computed, "en"), notebooks) == base  # a copy of the same notebooks
    notebook = nbformat.read(notebooks / "region_report.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A note added by the analyst."))
    nbformat.write(notebook, notebooks / "region_report.ipynb")
    assert key(Run(demo_computed, "en"), notebooks) != base


def test_kill_9_of_the_run_ends_its_workers_and_resume_makes_only_the_rest(tmp_path):
    """The main process killed mid-render: workers and kernels go within 10 s; run.json kept the finished jobs."""
    params = _params(tmp_path, account_plans=False, workers=1)
    run_json = params.run_dir / "run.json"
    regions = ["--region", "East", "--region", "North"]
    main = psutil.Popen(
        [sys.executable, "-m", "kamreport.cli", "run", str(params.source), "--only", "html", *regions],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        journal: list[dict[str, object]] = []
        deadline = time.monotonic() + 240
        while not journal and time.monotonic() < deadline and main.poll() is None:
            time.sleep(0.2)
            if run_json.is_file():
                journal = read_manifest(params.run_dir)["jobs"]
        assert journal, "no job finished"
        family = main.children(recursive=True)
        assert any("ipykernel" in " ".join(p.cmdline()) for p in family)  # a worker and its kernel
        killed = time.time_ns()
        main.send_signal(signal.SIGKILL)
        main.wait(10)
    finally:
        if main.poll() is None:
            main.kill()
    _, alive = psutil.wait_procs(family, timeout=10)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [p.cmdline() for p in alive]

    manifest = read_manifest(params.run_dir)  # run.json and the journal of the finished jobs
    assert not manifest["complete"] and (params.run_dir / JOURNAL).is_file()
    done = {j["id"]: (params.run_dir / j["files"]["html"]).stat().st_mtime_ns for j in manifest["jobs"]}
    resumed = make_pack(params, PackOptions(only=["html"], resume=True, regions=["East", "North"]), _console())
    assert resumed.exit_code == 0
    assert {j["id"] for j in resumed.jobs} == {"region:East", "region:North"}
    assert not (params.run_dir / JOURNAL).exists()  # run.json lists every job now
    assert json.loads(run_json.read_text(encoding="utf-8"))["complete"]
    for job in resumed.jobs:  # the finished ones kept, the others made again
        mtime = (params.run_dir / job["files"]["html"]).stat().st_mtime_ns
        assert mtime == done[job["id"]] if job["id"] in done else mtime > killed, job["id"]
    # an html-only run lists the rows set aside too (no other export: those are `--only data`)
    quality = pd.read_csv(params.run_dir / "data_quality.csv", encoding="utf-8-sig", dtype=str)
    assert quality.columns.tolist() == QUALITY_COLUMNS and len(quality) == len(resumed.computed.quality)
    assert not (params.run_dir / "kpis.csv").exists()
