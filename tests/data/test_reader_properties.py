"""Property tests of the readers: hostile text, numbers and dates through CSV, Excel and Parquet.

Whatever the cells hold, reading and validating either succeeds or stops with an
:class:`InputError` (exit code 2) — never another exception — and on success every row
written is read, used or set aside (whole, as written, at its own row number), and every
number used is finite.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from builders import validate_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kamreport.errors import InputError

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "../../etc/passwd",
    "a\x00b",
    "two\nlines",
    "cr\ronly",
    "crlf\r\nend",
    "\u202eRTL\u202c",
    "x" * 300,
    "[/x]",
    "[bold]",
    '"quoted", with comma',
    "华东精密模具有限公司",
    " padded ",
    "",
    " ",
    "NaN",
    "null",
    "_source_row",
]
NUMBERS = ["1", "-0", "1e308", "-1e308", "inf", "-Infinity", "NaN", "1,234", "12,3.4", "0x10", "1e-320", " 7 ", "abc"]
DATES = [
    "2026-07-15",
    "2026-07-15T10:00:00+08:00",
    "2026-07-15 23:59:59Z",
    "15.07.2026",
    "2026/07/15",
    "46218",
    "0000-00-00",
    "9999-12-31",
    "1899-12-30",
    "2026-02-30",
    "",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
ROW = st.tuples(
    st.one_of(st.sampled_from(DATES), TEXT),
    st.one_of(st.sampled_from(["A1", "A2", " A1 ", "ZZ9"]), TEXT),
    st.one_of(st.sampled_from(NUMBERS), TEXT),
    TEXT,
)
ROWS = st.lists(ROW, min_size=1, max_size=6)
COLUMNS = ["date", "account_id", "revenue", "division"]
CLEAN = ("2026-07-01", "A1", "1", "kept")  # one good line in the period, so that the period check passes
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


def _write_csv(folder: Path, rows: list[tuple[str, ...]]) -> tuple[str, list[int | None]]:
    """The rows as a CSV (minimal quoting, CRLF as Excel writes it); the line each row starts on (None: blank)."""
    path = folder / "sales.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")  # quotes a cell holding a CR as well as an LF
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    starts: list[int | None] = []
    line = 2
    for row in rows:
        starts.append(None if not any(row) or (len(row) == 1 and not row[0].strip()) else line)
        line += 1 + sum(_breaks(cell) for cell in row)
    return "sales.csv", starts


def _write_excel(folder: Path, rows: list[tuple[str, ...]]) -> tuple[str, list[int | None]]:
    """The rows as text cells of a workbook (a formula-looking text stays text)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value:
                cell = sheet.cell(row=r, column=c, value=value)
                cell.data_type = "s"
    book.save(folder / "sales.xlsx")
    return "sales.xlsx", [r if any(row) else None for r, row in enumerate(rows, start=2)]


def _write_parquet(folder: Path, rows: list[tuple[str, ...]]) -> tuple[str, list[int | None]]:
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype="string")
    frame["revenue"] = pd.to_numeric(frame["revenue"], errors="coerce")  # numbers as numbers, inf and NaN included
    frame.to_parquet(folder / "sales.parquet")
    return "sales.parquet", list(range(1, len(rows) + 1))


def _excel_text(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """What a workbook holds: no control characters, line breaks as LF (XML normalises a CR), no blank-only text."""
    cells = [[ILLEGAL_CHARACTERS_RE.sub("", re.sub(r"\r\n?", "\n", cell)) for cell in row] for row in rows]
    return [tuple(cell if cell.strip() else "" for cell in row) for row in cells]


def _check(folder: Path, writer, rows: list[tuple[str, ...]]) -> None:  # type: ignore[no-untyped-def]
    rows = [CLEAN, *rows]
    name, starts = writer(folder, rows)
    try:
        result = validate_files(folder, {"sales": {"path": name}}, validation={"allow_rejects": True})
    except InputError:
        return  # exit code 2 with a message: an allowed outcome
    report = result.reports["sales"]
    data_rows = [s for s in starts if s is not None]
    assert report.rows_read == len(data_rows) == report.rows_used + report.rows_set_aside
    sales = result.tables["sales"]
    assert len(sales) == report.rows_used
    assert np.isfinite(sales["revenue"]).all() and (sales["revenue"].abs() <= 1e13).all()
    assert sales["date"].between(pd.Timestamp("1990-01-01"), pd.Timestamp("2027-10-01")).all()
    q = result.quality
    aside = q[(q["table"] == "sales") & (q["kind"] == "set_aside")]
    assert len(aside) == report.rows_set_aside
    by_start = {start: row for start, row in zip(starts, rows, strict=True) if start is not None}
    for item in aside.itertuples():
        assert item.source_row in by_start, item  # the file's own row number
        whole = json.loads(item.row)
        written = by_start[item.source_row]
        if "line" not in whole and name != "sales.parquet":  # kept whole and as written
            assert (whole["division"] or "") == written[3], (whole, written)
    assert (sales["division"] == "kept").any()


@SETTINGS
@given(rows=ROWS)
def test_hostile_csv(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]]) -> None:
    _check(tmp_path_factory.mktemp("csv"), _write_csv, rows)


@SETTINGS
@given(rows=ROWS)
def test_hostile_excel(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]]) -> None:
    _check(tmp_path_factory.mktemp("xlsx"), _write_excel, _excel_text(rows))


@SETTINGS
@given(rows=ROWS)
def test_hostile_parquet(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]]) -> None:
    _check(tmp_path_factory.mktemp("parquet"), _write_parquet, rows)


ACCOUNT = st.tuples(st.sampled_from(["A1", "A2", "A3", " A3", "ZZ", ""]), TEXT, TEXT, TEXT)


@SETTINGS
@given(accounts=st.lists(ACCOUNT, min_size=1, max_size=5))
def test_hostile_accounts_csv(tmp_path_factory: pytest.TempPathFactory, accounts: list[tuple[str, ...]]) -> None:
    """Hostile names, regions and owners in accounts: read as text, or a duplicate id stops the run."""
    folder = tmp_path_factory.mktemp("accounts")
    path = folder / "accounts.csv"
    rows = [("A1", "Acme", "East", "Li"), *accounts]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["account_id", "account_name", "region", "owner"])
        writer.writerows(rows)
    try:
        result = validate_files(
            folder,
            {"accounts": {"path": "accounts.csv"}, "sales": "date,account_id,revenue\n2026-07-01,A1,1\n"},
            validation={"allow_rejects": True},
        )
    except InputError:
        return
    report = result.reports["accounts"]
    blank = sum(1 for row in rows if not any(row))
    assert report.rows_read == len(rows) - blank == report.rows_used + report.rows_set_aside
    kept = result.tables["accounts"]
    written = {r[0].strip(): r for r in rows if r[0].strip()}
    for row in kept.itertuples():
        assert row.account_name == written[row.account_id][1]  # text exactly as written
