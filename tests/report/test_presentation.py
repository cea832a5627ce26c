"""What the manager sees first (issue 15): actions first, print-ready pages, links, a complete Chinese edition."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kamreport.params import Rag
from kamreport.registry import KPI_IDS
from kamreport.report.chapters import report_sections
from kamreport.report.excel.sheet import OWN_SHEET_ROWS
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.export import templates_dir
from kamreport.report.html import section_html, title_block
from kamreport.report.sections.base import rag
from kamreport.report.views import Run

REGION = "East"
EAST_PAGES = 24  # the East workbook of the demo data prints on at most this many pages (issue 15)
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.&'-]*")
# codes a Chinese report may show as they are: file names and the program's name
CODES = {"kamreport", "kpis", "accounts", "data_quality", "csv", "run", "json", "sha256"}


# ------------------------------------------------------------------ the demo at full size (one LibreOffice run)
@pytest.fixture(scope="module")
def full_east(full_demo_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """East's workbook from the demo data at its shipped size (600 accounts), the size the page budget is for."""
    return write_workbook(full_demo_run.region(REGION), tmp_path_factory.mktemp("full") / "east.xlsx")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_east_workbook_prints_within_its_page_budget(full_east: Path, tmp_path: Path) -> None:
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(full_east)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "east.pdf"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    sheets = len(openpyxl.load_workbook(full_east, read_only=True).sheetnames)
    assert sheets <= pages <= EAST_PAGES


def _tables_by_sheet(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Sheet → its Excel tables as (header row, data rows, name), top to bottom."""
    book = openpyxl.load_workbook(path)
    found: dict[str, list[tuple[int, int, str]]] = {}
    for ws in book.worksheets:
        rows = []
        for table in ws.tables.values():
            name = table.name
            first, last = table.ref.split(":")
            top, bottom = int(re.sub(r"\D", "", first)), int(re.sub(r"\D", "", last))
            rows.append((top, bottom - top, name))
        found[ws.title] = sorted(rows)
    return found


def test_long_tables_repeat_their_own_header(full_east: Path) -> None:
    book = openpyxl.load_workbook(full_east)
    long_tables = 0
    for sheet, tables in _tables_by_sheet(full_east).items():
        for i, (header, n_rows, name) in enumerate(tables):
            if n_rows > OWN_SHEET_ROWS:
                long_tables += 1
                assert i == len(tables) - 1, f"{sheet}: long table {name} is not the last of its sheet"
                assert book[sheet].print_title_rows == f"${header}:${header}", (sheet, name)
    assert long_tables >= 2  # Accounts and the key accounts' targets at least


# --------------------------------------------------------------------------- plans lead with the decision
def _with_actions(run: Run) -> str:
    actions = run.data.results.actions
    counts = actions.groupby("account_id").size()
    return str(counts.idxmax())


def test_plan_opens_with_scorecard_and_whole_actions(demo_run: Run, demo_run_zh: Run, tmp_path: Path) -> None:
    account = _with_actions(demo_run)
    actions = demo_run.data.results.actions
    mine = actions[actions["account_id"] == account]
    for run, lang in ((demo_run, "en"), (demo_run_zh, "zh")):
        view = run.account(account)
        book = openpyxl.load_workbook(write_workbook(view, tmp_path / f"plan_{lang}.xlsx"))
        first = book.worksheets[0]
        texts = {c.value for row in first.iter_rows() for c in row if isinstance(c.value, str)}
        assert set(mine[lang]) <= texts  # every action, in full sentences, on the first sheet
        assert not set(mine["condition"]) & texts  # the rules behind them are in the analysts' appendix
        appendix = {c.value for row in book.worksheets[-1].iter_rows() for c in row if isinstance(c.value, str)}
        assert set(mine["condition"]) <= appendix and set(mine["rule"]) <= appendix
        assert "overview_scorecard" in first.tables
        page = section_html(report_sections(view)[0], view)
        for sentence in mine[lang]:
            assert f"<li>{html.escape(sentence)}</li>" in page
    css = (templates_dir() / "html" / "report.css").read_text(encoding="utf-8")
    assert "ellipsis" not in css and "text-overflow" not in css


def test_rounded_before_sign_and_colour() -> None:
    thresholds = Rag(green=0.0, amber=-5.0)
    assert rag(-0.04, thresholds, "pp") == "green"  # shows +0.0 pp, so it is not amber
    assert rag(-0.06, thresholds, "pp") == "amber"
    assert rag(0.8996, Rag(green=0.9, amber=0.8), "share") == "green"  # shows 90.0 %


# --------------------------------------------------------------------------- navigation
def test_region_html_links_plans_and_the_index(demo_run: Run) -> None:
    view = demo_run.region(REGION)
    tree = demo_run.layout()
    sections = {s.id: s for s in report_sections(view)}
    page = section_html(sections["accounts"], view)
    keys = view.accounts.index[view.accounts["key_account"].astype(bool)]
    for account in keys:
        plan = tree.relative(tree.files("account", str(account)).html, tree.files("region", REGION).html.parent)
        assert f'href="{html.escape(plan)}"' in page, account
    assert plan.startswith("../../accounts/")
    assert 'href="../../index.html"' in title_block(view)
    plan_view = demo_run.account(str(keys[0]))
    back = title_block(plan_view)
    assert 'href="../../index.html"' in back and f'href="../../regions/{REGION}/kam_{REGION}_' in back


def test_workbook_links_use_link_base(demo_computed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    params = demo_computed.params
    published = params.model_copy(
        update={"report": params.report.model_copy(update={"link_base": "https://reports.example.com/kam"})}
    )
    run = Run(replace(demo_computed, params=published), "en")  # the same results, published under link_base
    path = write_workbook(run.region(REGION), tmp_path / "east.xlsx")
    sheet = openpyxl.load_workbook(path)["Accounts"]
    targets = [c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink is not None]
    assert targets and all(t.startswith(f"https://reports.example.com/kam/{run.name}/accounts/") for t in targets)
    assert all(t.endswith(".xlsx") for t in targets)
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Underlined names are key accounts: they link to their plans where the run is published." in texts


# --------------------------------------------------------------------------- a complete Chinese edition
def _data_words(run: Run, data: Path) -> set[str]:
    """Words the data itself holds (names, products, notes), the params' values and keys, KPI ids."""
    words: set[str] = set(CODES) | set(KPI_IDS)
    for path in data.glob("*.parquet"):
        frame = pd.read_parquet(path)
        words.update(w for column in frame.columns for w in WORD.findall(str(column)))  # the export's own headers
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith(("string", "large_string")):
                for value in frame[column].dropna().astype(str).unique():
                    words.update(WORD.findall(value))
    values = run.params.model_dump(mode="json")
    for rule in values["planning"]["actions"]:  # the rules' English texts are labels, not data
        del rule["en"]
    words.update(WORD.findall(json.dumps(values, ensure_ascii=False)))
    return words


def _workbook_texts(path: Path) -> list[str]:
    texts: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name == "xl/sharedStrings.xml" or name.startswith(("xl/worksheets/sheet", "xl/charts/chart")):
                xml = z.read(name).decode("utf-8")
                texts += re.findall(r"<t[^>]*>([^<]*)</t>", xml) + re.findall(r"<a:t>([^<]*)</a:t>", xml)
                footers = [html.unescape(f) for f in re.findall(r"<oddFooter>([^<]*)</oddFooter>", xml)]
                texts += [re.sub(r"&[LRCPN]|&\d+", " ", f) for f in footers]
        texts += re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode("utf-8"))
    return [html.unescape(text) for text in texts]


def _html_texts(page: str) -> list[str]:
    page = re.sub(r'src="data:[^"]+"', "", page)
    return [html.unescape(text) for text in re.split(r"<[^>]+>", page) if text.strip()]


def _english(texts: list[str], allowed: set[str]) -> dict[str, str]:
    """Words of ``texts`` that are neither data nor codes (a dotted key counts when each part does)."""
    return {
        w: text
        for text in texts
        for w in WORD.findall(text)
        if len(w) > 1 and w not in allowed and not all(part in allowed for part in w.split("."))
    }


def test_no_english_label_left_in_chinese(demo_run_zh: Run, demo_params_file: Path, tmp_path: Path) -> None:
    allowed = _data_words(demo_run_zh, demo_params_file.parent / "data")
    view = demo_run_zh.region(REGION)
    workbook = write_workbook(view, tmp_path / "east_zh.xlsx")
    assert _english(_workbook_texts(workbook), allowed) == {}
    page = title_block(view) + "".join(section_html(s, view) for s in report_sections(view))
    assert _english(_html_texts(page), allowed) == {}
    assert "n/a" not in page and not re.search(r"\d pp\b", page)
    plan = demo_run_zh.account(_with_actions(demo_run_zh))
    plan_page = title_block(plan) + "".join(section_html(s, plan) for s in report_sections(plan))
    assert _english(_html_texts(plan_page), allowed) == {}
