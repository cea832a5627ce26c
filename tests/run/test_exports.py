"""CSV exports for people: text a spreadsheet would run as a formula is escaped, numbers stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamreport.records import QUALITY_COLUMNS
from kamreport.run.exports import _unquoted_csv, escape_cell, write_csv, write_exports

FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","click")', "+2+3", "-2+3", "@SUM(1;2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),  # a plain number is a number, never a formula
        ("+1.5e3", "+1.5e3"),
        ("East", "East"),
        ("a=b", "a=b"),
        (-5.0, -5.0),
        (None, None),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


def _rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _hostile_exports(demo_computed, folder: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The three exports of the demo run with formula-like names, region keys and data-quality text."""
    results = demo_computed.results
    accounts = results.accounts.copy()
    accounts["account_name"] = accounts["account_name"].astype(object)
    for i, text in enumerate(FORMULAS):
        accounts.loc[i, "account_name"] = text
    kpis = results.kpis.copy()
    kpis["key"] = kpis["key"].astype(object).where(kpis["level"] != "region", "=" + kpis["key"].astype(str))
    quality = pd.DataFrame(
        [["sales", "set_aside", "=cmd|' /C calc'!A0", 2, "@reason", "-1+1"]] * 2, columns=QUALITY_COLUMNS
    )
    hostile = dataclasses.replace(results, accounts=accounts, kpis=kpis)
    return write_exports(hostile, quality, folder)


def test_exports_escape_formula_text_and_keep_numbers(demo_computed, tmp_path):
    paths = _hostile_exports(demo_computed, tmp_path)
    accounts = _rows(paths["accounts"])
    header = accounts[0]
    names = {row[0]: row[header.index("account_name")] for row in accounts[1:]}
    first = demo_computed.results.accounts["account_id"].astype(str)[: len(FORMULAS)]
    assert [names[a] for a in first] == ["'" + f for f in FORMULAS]
    revenue = pd.read_csv(paths["accounts"], encoding="utf-8-sig", dtype={"account_id": str})
    assert pd.api.types.is_float_dtype(revenue["revenue"])  # numbers are written as numbers
    expected = demo_computed.results.accounts.set_index("account_id")["revenue"]
    assert revenue.set_index("account_id")["revenue"].to_dict() == pytest.approx(expected.to_dict())
    kpis = _rows(paths["kpis"])
    region_keys = {row[2] for row in kpis[1:] if row[1] == "region"}
    assert region_keys == {"'=East", "'=North", "'=South"}
    negative = [row[4] for row in kpis[1:] if row[4].startswith("-")]
    assert negative and all(float(v) < 0 for v in negative)  # negative values untouched
    quality = _rows(paths["data_quality"])
    assert quality[1] == ["sales", "set_aside", "'=cmd|' /C calc'!A0", "2", "'@reason", "'-1+1"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_exports_with_no_formula_cell(demo_computed, tmp_path):
    """What a manager who double-clicks the file gets; the unescaped files are the control."""
    escaped = _hostile_exports(demo_computed, tmp_path / "escaped")
    control = tmp_path / "control"
    control.mkdir()
    for name, path in escaped.items():  # the same cells written plainly, as before the fix
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        frame = frame.map(lambda v: v[1:] if v.startswith("'") else v)
        frame.to_csv(control / f"plain_{name}.csv", index=False, encoding="utf-8")
    files = [*escaped.values(), *sorted(control.glob("*.csv"))]
    out = tmp_path / "xlsx"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr

    def formula_cells(path: Path) -> list[str]:
        sheet = openpyxl.load_workbook(out / path.with_suffix(".xlsx").name).active
        return [str(c.value) for row in sheet.iter_rows() for c in row if c.data_type == "f"]

    assert formula_cells(control / "plain_accounts.csv")  # the control shows the danger is real
    assert formula_cells(control / "plain_data_quality.csv")
    for path in escaped.values():
        assert formula_cells(path) == [], path.name
    sheet = openpyxl.load_workbook(out / "accounts.xlsx").active
    column = [c.value for c in sheet[1]].index("account_name")
    assert {"'" + f.replace("\r", "\n") for f in FORMULAS} <= {row[column].value for row in sheet.iter_rows(min_row=2)}


HOSTILE_TEXT = st.one_of(
    st.sampled_from([*FORMULAS, "-5", "+1", "a\r=1+1", "b\n=2+2", "[/x]", "<script>x</script>", "../x", "\u202e"]),
    st.text(alphabet=st.sampled_from("=+-@\t\r\n,\"'aZ0 é华\u202e"), max_size=12),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(HOSTILE_TEXT, min_size=1, max_size=6), numbers=st.lists(st.floats(allow_nan=False), max_size=6))
def test_any_text_comes_back_escaped_and_any_number_unchanged(texts, numbers, tmp_path):
    size = max(len(texts), len(numbers), 1)
    frame = pd.DataFrame(
        {
            "text": (texts * size)[:size],
            "number": pd.Series((numbers or [0.0]) * size, dtype="float64")[:size].to_numpy(),
        }
    )
    path = write_csv(frame, tmp_path / "x.csv")
    rows = _rows(path)
    assert rows[0] == ["text", "number"] and len(rows) == size + 1
    for (text, number), row in zip(frame.itertuples(index=False), rows[1:], strict=True):
        assert row[0] in (text, "'" + text)
        assert (row[0] != text) == (escape_cell(text) != text)
        assert not row[0].startswith(("=", "+", "@", "\t", "\r")) or row[0] == text  # only plain numbers stay
        assert float(row[1]) == number


def _pandas_csv(frame: pd.DataFrame) -> bytes:
    """What pandas writes for ``frame`` (the bytes write_csv must give, whichever way it writes them)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    frame.to_csv(buffer, index=False, na_rep="", lineterminator="\r\n")
    return buffer.getvalue().encode()


@pytest.mark.parametrize("name", ["Shop 1", 'Shop "A", North'])  # the second needs quotes: pandas writes it
def test_csv_bytes_are_what_pandas_writes(name, tmp_path):
    frame = pd.DataFrame(
        {
            "period": pd.Categorical(["2026Q3", "2026Q2", None, "2026Q3"]),
            "key": pd.array([name, None, "东区", "x"], dtype="string"),
            "value": [1.0, float("nan"), 1e16, -1.5e-05],
            "whole": [1000000000000000.0, 0.1 + 0.2, -0.0, 5e-324],
            "count": [3, -1, 0, 12],
            "flag": [True, False, True, False],
        }
    )
    assert write_csv(frame, tmp_path / "x.csv").read_bytes() == _pandas_csv(frame)
    assert (_unquoted_csv(frame) is None) == ('"' in name)  # the Arrow path writes all but quoted text
    assert _rows(tmp_path / "x.csv")[1][:3] == ["2026Q3", name, "1.0"]
