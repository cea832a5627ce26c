"""A report's HTML account list stops at HTML_ACCOUNTS rows and says where the rest are; the workbook keeps all."""

from __future__ import annotations

import html.parser

import openpyxl
import pandas as pd
import pytest
from builders import accounts, facts, params, table

from kamreport.compute import Computed, compute
from kamreport.records import QUALITY_COLUMNS
from kamreport.report.chapters import HTML_ACCOUNTS, report_sections
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.html import table_html
from kamreport.report.views import Run

EXTRA = 5  # accounts beyond the HTML list
HOSTILE = "<b>Müller & Söhne</b>"


class _Rows(html.parser.HTMLParser):
    """The text of each body row's cells, and every tag name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: set[str] = set()
        self.notes: list[str] = []
        self._in_body = self._in_cell = self._in_note = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._in_cell = True
            self.rows[-1].append("")
        elif tag == "p" and ("class", "note") in attrs:
            self._in_note = True
            self.notes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "p":
            self._in_note = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.rows[-1][-1] += data
        if self._in_note:
            self.notes[-1] += data


@pytest.fixture(scope="module")
def big_region() -> Run:
    """HTML_ACCOUNTS + EXTRA accounts in East, revenue falling with the number; A001 has a hostile name."""
    n = HTML_ACCOUNTS + EXTRA
    ids = [f"A{i:03d}" for i in range(1, n + 1)]
    names = [HOSTILE, *(f"Name {i}" for i in ids[1:])]
    acc = accounts(*ids, account_name=names)
    sales = table("sales", date=["2026-08-01"] * n, account_id=ids, revenue=[float(10_000 - i) for i in range(n)])
    run_params = params()
    built = facts(accounts=acc, sales=sales)
    quality = pd.DataFrame(columns=QUALITY_COLUMNS)
    return Run(Computed(run_params, built, compute(built, run_params), quality, [], [], "k"), "en")


def test_html_lists_the_first_accounts_and_says_how_many_more(big_region, tmp_path):
    view = big_region.region("East")
    section = next(s for s in report_sections(view) if s.id == "accounts")
    page = table_html(section.table("accounts"), view)
    parsed = _Rows()
    parsed.feed(page)
    assert len(parsed.rows) == HTML_ACCOUNTS
    assert parsed.rows[0][0] == HOSTILE  # escaped: shown as text, largest revenue first
    assert "b" not in parsed.tags and "&lt;b&gt;Müller &amp; Söhne&lt;/b&gt;" in page
    assert parsed.rows[-1][0] == f"Name A{HTML_ACCOUNTS:03d}"
    assert parsed.notes == [
        f"The first {HTML_ACCOUNTS} of {HTML_ACCOUNTS + EXTRA} accounts; the other {EXTRA} are in the workbook "
        "and in accounts.csv."
    ]
    # the workbook keeps every row
    book = openpyxl.load_workbook(write_workbook(view, tmp_path / "east.xlsx"))
    refs = [ref for ws in book.worksheets for name, ref in ws.tables.items() if name == "accounts_accounts"]
    assert len(refs) == 1
    first, last = refs[0].split(":")
    assert int("".join(c for c in last if c.isdigit())) - int("".join(c for c in first if c.isdigit())) == (
        HTML_ACCOUNTS + EXTRA
    )


def test_a_short_list_has_no_more_line(big_region):
    view = big_region.region("East")
    section = next(s for s in report_sections(view) if s.id == "accounts")
    short = section.table("accounts")
    short.frame = short.frame.head(3)
    parsed = _Rows()
    parsed.feed(table_html(short, view))
    assert len(parsed.rows) == 3 and parsed.notes == []
