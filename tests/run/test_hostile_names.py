"""Text is never code: hostile names through every writer stay text, escaped, and inside the run folder.

Property tests push formula prefixes, HTML, ``../``, NUL, newlines, right-to-left marks, 300
characters and rich markup (``[/x]``) through the workbook, the HTML chapters, the CSV
exports, index.html and run.json of a small hand-built run; one fixed ``kamreport run`` on
the demo data with hostile names checks the whole way, console included.
"""

from __future__ import annotations

import html.parser
import json
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from builders import accounts, facts, params, table
from conftest import write_demo_params
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kamreport.cli import main
from kamreport.compute import Computed, compute
from kamreport.files import slug, unique_slugs
from kamreport.records import QUALITY_COLUMNS, TableReport
from kamreport.report.chapters import report_sections
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.html import section_html, title_block
from kamreport.report.views import Run
from kamreport.run.exports import write_exports
from kamreport.run.manifest import write_manifest
from kamreport.run.publish import write_index

EVIL_REGION = "../../evil/华东\\x[/x]"
SCRIPT_NAME = "<script>alert('x')</script>"
FRAGMENTS = [
    "=1+1",
    "+",
    "-",
    "@SUM(A1)",
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</td></tr><evil>",
    "../",
    "..\\",
    "\x00",
    "\n",
    "\r",
    "\t",
    "\u202e",
    "x" * 300,
    "[/x]",
    "[bold red]",
    ":cat:",
    "&amp;",
    "'",
    '"',
    "CON",
    "nul.txt",
    "华东",
    " ",
    "{0}",
    "%s",
]
HOSTILE = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map("".join)
FORBIDDEN_TAGS = {"script", "img", "evil"}  # what the hostile text carries; the reports never use them


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("华东", "华东"),
        ("East/华东", "East_华东"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "unnamed"),
        ("a\\b:c*d?e", "a_b_c_d_e"),
        ("CON", "x_CON"),
        ("NUL.txt", "x_NUL.txt"),
        ("com1.tar.gz", "x_com1.tar.gz"),
        ("console", "console"),
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


def test_names_that_differ_only_in_case_or_are_reserved_get_distinct_slugs():
    slugs = unique_slugs(["East", "EAST", "east", "CON", "con", "NUL.txt", "nul.TXT", "North"])
    assert slugs["North"] == "North"
    assert len({s.casefold() for s in slugs.values()}) == 8  # distinct on Windows and macOS too
    assert all(s.split(".")[0].casefold() not in {"con", "nul"} for s in slugs.values())


WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(HOSTILE, st.text(max_size=40)), min_size=1, max_size=8))
@example(["East", "EAST", "east"])
@example(["nul.txt", "COM1", "aux"])
def test_slugs_are_valid_file_names_everywhere_and_unique(names):
    slugs = unique_slugs(names)
    assert len({s.casefold() for s in slugs.values()}) == len(set(names))
    for s in slugs.values():
        assert s and not WINDOWS_FORBIDDEN.search(s) and ".." not in s
        assert not s.endswith((".", " ")) and s.split(".")[0].casefold() not in {"con", "prn", "aux", "nul", "com1"}
        assert len(s.encode("utf-8")) <= 80


class _Tags(html.parser.HTMLParser):
    """Every tag and attribute name in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def _assert_no_markup_from_data(page: str) -> None:
    parsed = _Tags()
    parsed.feed(page)
    assert not parsed.tags & FORBIDDEN_TAGS - {"img"} and "onerror" not in parsed.attributes
    assert "<img src=x" not in page  # charts are <img src="data:…">; a hostile one never appears


def _formulas(workbook: Path) -> list[str]:
    """The ``<f>`` elements of every sheet: formula cells."""
    with zipfile.ZipFile(workbook) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        return [f for n in sheets for f in re.findall(r"<f[ >].*?</f>", zf.read(n).decode("utf-8"))]


def _hostile_run(folder: Path, region: str, names: list[str]) -> Run:
    """Three accounts, two in ``region``, with hostile names and ids (the names followed by 1, 2, 3)."""
    ids = [f"{n}{i}" for i, n in enumerate(names, start=1)]
    acc = accounts(*ids, region=[region, region, "East"], account_name=names, group_id=[names[0], names[0], None])
    sales = table(
        "sales",
        date=["2026-07-03", "2026-08-01", "2025-07-03", "2026-07-05", "2026-04-02"],
        account_id=[ids[0], ids[1], ids[0], ids[2], ids[1]],
        revenue=[1000.0, 500.0, 800.0, 30.0, 200.0],
    )
    run_params = params(output_dir=str(folder), report={"company_name": names[2]})
    built = facts(accounts=acc, sales=sales)
    quality = pd.DataFrame([["sales", "set_aside", names[0], 2, names[1], names[2]]], columns=QUALITY_COLUMNS)
    reports = [TableReport("sales", [names[0]], 6, 1, {names[1]: 1})]
    return Run(Computed(run_params, built, compute(built, run_params), quality, reports, [], "k"), "en")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=HOSTILE, names=st.lists(HOSTILE, min_size=3, max_size=3))
def test_hostile_text_through_every_writer(region, names):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "output"
        run = _hostile_run(folder, region, names)
        run_dir = run.params.run_dir
        layout = run.layout()
        for view in (run.region(region), run.account(f"{names[0]}1")):  # a report and a plan
            files = layout.files(view.level, view.key)
            assert run_dir in files.folder.parents
            workbook = write_workbook(view, files.xlsx)
            assert _formulas(workbook) == []
            page = title_block(view) + "".join(section_html(s, view) for s in report_sections(view))
            _assert_no_markup_from_data(page)
        jobs = [
            {"id": f"account:{names[0]}1", "name": names[0], "status": "failed", "error": names[1], "files": {}},
            {"id": f"region:{region}", "name": region, "status": "ok", "files": {}},
        ]
        paths = write_exports(run.data.results, run.data.quality, run_dir)
        index = write_index(run, layout, jobs)
        _assert_no_markup_from_data(index.read_text(encoding="utf-8"))
        manifest = json.loads(write_manifest(run.data, jobs, datetime.now(), {}).read_text(encoding="utf-8"))
        assert manifest["jobs"] == jobs and manifest["params"]["report"]["company_name"] == names[2]
        for path in paths.values():
            for row in _csv_cells(path):
                assert not row.startswith(("=", "+", "@", "\t", "\r")) or re.fullmatch(r"[+-]?[\d.eE+-]+", row)
        made = [p for p in Path(tmp).rglob("*") if p.is_file()]
        assert all(run_dir in p.parents for p in made)


def _csv_cells(path: Path) -> list[str]:
    import csv
    import io

    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


HOSTILE_ID = "A[/x]10"
HOSTILE_GROUP = "G[/x]<b>001"
HOSTILE_NAMES = {
    "A00010": SCRIPT_NAME,
    "A00017": '=HYPERLINK("http://evil.example","click")',
    "A00021": "\u202eRTL\x00NUL\nnext line",
    "A00027": "名" * 300,
}


def _plant_hostile_names(data: Path) -> None:
    """South becomes EVIL_REGION, North a formula; four South key accounts get hostile names, one a hostile id."""
    accounts_file = data / "accounts.parquet"
    frame = pd.read_parquet(accounts_file)
    frame["region"] = frame["region"].replace({"South": EVIL_REGION, "North": "=1+1 North"})
    for account, name in HOSTILE_NAMES.items():
        frame.loc[frame["account_id"] == account, "account_name"] = name
    frame["group_id"] = frame["group_id"].replace({"G001": HOSTILE_GROUP})
    frame.to_parquet(accounts_file)
    for path in data.glob("*.parquet"):
        table_frame = pd.read_parquet(path)
        if "account_id" in table_frame:
            table_frame["account_id"] = table_frame["account_id"].replace({"A00010": HOSTILE_ID})
            table_frame.to_parquet(path)


def test_a_run_with_hostile_names_end_to_end(tmp_path, capsys):
    few_plans = {  # key accounts: the top half of each region's revenue only (South: the hostile ones)
        "tiers": {"scope": "region"},
        "key_account": {"tiers": ["A"], "min_potential_monthly": 1e15},
    }
    path = write_demo_params(tmp_path, n_accounts=60, render={"company_report": False}, planning=few_plans)
    _plant_hostile_names(tmp_path / "data")
    code = main(["run", str(path), "--region", EVIL_REGION, "--workers", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    run_dir = tmp_path / "output" / "2026Q3"
    manifest = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    jobs = {j["id"]: j for j in manifest["jobs"]}
    assert set(jobs) == {f"region:{EVIL_REGION}", f"account:{HOSTILE_ID}", "account:A00017", "account:A00021"}
    assert all(j["status"] == "ok" for j in jobs.values())  # rich read "[/x]" in their labels as a tag and crashed
    for item in manifest["inputs"]:  # rows reconcile
        assert item["rows_read"] == item["rows_used"] + item["rows_set_aside"]

    made = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(run_dir in p.parents or tmp_path / "data" in p.parents or p.parent == tmp_path for p in made)
    assert not (tmp_path.parent / "evil").exists() and not (tmp_path / "evil").exists()
    assert sorted(p.name for p in (run_dir / "regions").iterdir()) == ["evil_华东_x_x"]

    workbooks = sorted(run_dir.rglob("*.xlsx"))
    assert len(workbooks) == len(jobs)
    assert all(_formulas(workbook) == [] for workbook in workbooks)
    pages = [*sorted(run_dir.rglob("kam_*.html")), *sorted(run_dir.rglob("plan_*.html")), run_dir / "index.html"]
    assert len(pages) == len(jobs) + 1
    for page in pages:
        _assert_no_markup_from_data(page.read_text(encoding="utf-8"))
    plan = (run_dir / jobs[f"account:{HOSTILE_ID}"]["files"]["html"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in plan and "<script>" not in plan
    region_page = (run_dir / jobs[f"region:{EVIL_REGION}"]["files"]["html"]).read_text(encoding="utf-8")
    assert "../../evil/华东\\x[/x]" in region_page

    cells = {c for name in ("kpis.csv", "accounts.csv") for c in _csv_cells(run_dir / name)}
    assert "'=1+1 North" in cells and "=1+1 North" not in cells
    assert "'" + HOSTILE_NAMES["A00017"] in cells and HOSTILE_NAMES["A00017"] not in cells
    assert HOSTILE_ID in cells and SCRIPT_NAME in cells and HOSTILE_GROUP in cells  # no formula: as written
