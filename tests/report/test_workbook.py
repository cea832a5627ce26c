"""The regional and company workbooks, read back: sheets, numbers, charts, formats, text as text, LibreOffice."""

from __future__ import annotations

import re
import shutil
import warnings
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from conftest import write_demo_params
from openpyxl.worksheet.worksheet import Worksheet

from kamreport.params import KpiParams, ReportParams, load_params
from kamreport.registry import KPI_BY_ID, is_meaningful
from kamreport.report.chapters import chapters_for, report_sections
from kamreport.report.excel.charts import bridge_bars
from kamreport.report.excel.measure import cjk_header_fit, header_lines, is_cjk, text_width, wrapped_lines
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.excel.writer import unique_labels
from kamreport.report.format import not_meaningful_text, shown_number
from kamreport.report.labels import column_label, kpi_label, t
from kamreport.report.sections import attention
from kamreport.report.sections.managers import OWNER_COLUMNS, REGION_COLUMNS
from kamreport.report.theme import load_theme
from kamreport.report.views import Run
from kamreport.run.exports import write_exports
from kamreport.run.store import load_or_compute

REGION = "East"
SECTION_IDS = [spec.id for spec in chapters_for("region")]
COMPANY_SECTION_IDS = [spec.id for spec in chapters_for("company")]
CHARTS_PER_SECTION = {"summary": 1, "positioning": 1, "pipeline": 1, "execution": 1, "fill_rate": 1, "profit": 1}
# openpyxl drops the Excel 2010 extensions (data bar details) it cannot read: expected here.
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@x", "<b>bold</b>", "=1+1"]


# --------------------------------------------------------------------------- fixtures (each workbook written once)
@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workbooks")


@pytest.fixture(scope="module")
def plans(demo_run: Run) -> dict[str, str]:
    view = demo_run.region(REGION)
    key = view.accounts.index[view.accounts["key_account"].astype(bool)][:3]
    return {str(a): f"../../accounts/{a}/plan_{a}_{demo_run.name}.xlsx" for a in key}


@pytest.fixture(scope="module")
def en_path(demo_run: Run, out: Path, plans: dict[str, str]) -> Path:
    with warnings.catch_warnings():  # XlsxWriter warns about what Excel would repair (overlaps, bad names)
        warnings.simplefilter("error")
        return write_workbook(demo_run.region(REGION), out / "kam_East_en.xlsx", plans=plans)


@pytest.fixture(scope="module")
def zh_path(demo_run_zh: Run, out: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return write_workbook(demo_run_zh.region(REGION), out / "kam_East_zh.xlsx")


@pytest.fixture(scope="module")
def company_path(demo_run: Run, out: Path) -> Path:
    return write_workbook(demo_run.company(), out / "kam_company.xlsx")


@pytest.fixture(scope="module")
def en(en_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(en_path)


@pytest.fixture(scope="module")
def zh(zh_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(zh_path)


@pytest.fixture(scope="module")
def exports(demo_run: Run, out: Path) -> dict[str, pd.DataFrame]:
    paths = write_exports(demo_run.data.results, demo_run.data.quality, out / "exports")
    every = pd.read_csv(paths["kpis"], dtype={"key": str, "period": str})
    kpis = every[every["period"] == str(demo_run.period)]
    accounts = pd.read_csv(paths["accounts"], dtype={"account_id": str})
    return {
        "kpis": kpis.set_index(["level", "key", "kpi"])["value"].sort_index(),
        "history": every.set_index(["level", "key", "period", "kpi"])["value"].sort_index(),
        "accounts": accounts.set_index("account_id"),
    }


@pytest.fixture(scope="module")
def hostile_path(demo_params_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small demo: East accounts with formula-like names; no visits, bids or objectives tables,
    no targets beyond the targets table's revenue (no company target, no params targets)."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copytree(demo_params_file.parent / "data", folder / "data")
    accounts = pd.read_parquet(folder / "data" / "accounts.parquet")
    east = accounts.index[accounts["region"] == REGION][: len(HOSTILE)]
    accounts.loc[east, "account_name"] = HOSTILE
    accounts.to_parquet(folder / "data" / "accounts.parquet", index=False)
    params_file = write_demo_params(folder)
    doc = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    for absent in ("visits", "bids", "objectives"):
        del doc["data"]["tables"][absent]
    del doc["planning"]["targets"]["company_target_nq"], doc["kpi"]["targets"]
    params_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    run = Run(load_or_compute(load_params(params_file)), "en")
    return write_workbook(run.region(REGION), folder / "kam_hostile.xlsx", plans={})


# --------------------------------------------------------------------------- helpers
def read_table(ws: Worksheet, name: str) -> pd.DataFrame:
    """An Excel table of a sheet as a frame (header labels as columns)."""
    rows = [[cell.value for cell in row] for row in ws[ws.tables[name].ref]]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def table_cells(ws: Worksheet, name: str) -> tuple[list[str], list[list[openpyxl.cell.Cell]]]:
    rows = list(ws[ws.tables[name].ref])
    return [str(c.value) for c in rows[0]], [list(r) for r in rows[1:]]


def assert_same(shown: object, expected: float, unit: str = "amount") -> None:
    """A cell holds the figure as its format shows it (shares to 0.1 %, points to 0.1: rounded before colour)."""
    if np.isnan(expected):
        assert shown is None
    else:
        assert shown == pytest.approx(shown_number(expected, unit), rel=1e-12, abs=1e-9)


def assert_kpi(shown: object, kpis: pd.Series, kpi: str, params: KpiParams) -> None:
    """A cell holds ``kpis[kpi]`` as kpis.csv has it, or reads "n.m." where its ratio's base is too small."""
    if is_meaningful(kpi, kpis, params):
        assert_same(shown, kpis.get(kpi, np.nan), KPI_BY_ID[kpi].unit)
    else:
        assert shown == not_meaningful_text("en"), kpi


def charts_per_sheet(path: Path) -> dict[str, int]:
    """Sheet name → charts drawn on it, following sheet → drawing → chart relationships in the zip."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        book_rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', book_rels))
        for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', book):
            sheet = PurePosixPath("xl") / targets[rid]
            rels = sheet.parent / "_rels" / f"{sheet.name}.rels"
            drawings = _related(z, rels, "drawing")
            charts = [c for d in drawings for c in _related(z, d.parent / "_rels" / f"{d.name}.rels", "chart")]
            counts[name] = sum(1 for c in charts if str(c) in z.namelist())
    return counts


def _related(z: zipfile.ZipFile, rels: PurePosixPath, kind: str) -> list[PurePosixPath]:
    if str(rels) not in z.namelist():
        return []
    xml = z.read(str(rels)).decode()
    found = re.findall(rf'Type="[^"]*/{kind}"[^>]*Target="([^"]+)"', xml)
    found += re.findall(rf'Target="([^"]+)"[^>]*Type="[^"]*/{kind}"', xml)
    base = rels.parent.parent
    return [PurePosixPath(_normal(base / target)) for target in found]


def _normal(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


# --------------------------------------------------------------------------- sheets and numbers
def test_sheets_are_the_sections_in_order(en: openpyxl.Workbook, zh: openpyxl.Workbook) -> None:
    assert en.sheetnames == [t(f"sheet.{s}", "en") for s in SECTION_IDS]
    assert zh.sheetnames == [t(f"sheet.{s}", "zh") for s in SECTION_IDS]
    assert en.sheetnames[0] == "Summary" and en.active.title == "Summary"


def test_scorecard_and_key_numbers_equal_kpis_csv(en: openpyxl.Workbook, exports: dict[str, pd.DataFrame]) -> None:
    kpis = exports["kpis"]
    region = kpis.loc["region", REGION]
    card = read_table(en["Summary"], "summary_scorecard").set_index(column_label("kpi", "en"))
    for kpi in ("revenue", "share_of_wallet", "frequency_attainment", "gross_margin", "fill_rate"):
        assert_same(card.loc[kpi_label(kpi, "en"), "Value"], region[kpi], KPI_BY_ID[kpi].unit)
    revenue = card.loc[kpi_label("revenue", "en")]
    assert_same(revenue["Target"], region["revenue_target"])
    assert_same(revenue["vs target"], region["attainment"], "share")
    assert_same(revenue["Last year"], region["revenue_py"])
    assert_same(revenue["vs last year"], region["growth_yoy"], "share")
    assert set(card["Status"].dropna()) <= {"green", "amber", "red"}

    numbers = read_table(en["Summary"], "summary_key_numbers").set_index("Item")["Value"]
    for kpi in ("revenue", "gross_profit", "contribution", "won_amount", "pipeline_amount", "ar_overdue"):
        assert_same(numbers[kpi_label(kpi, "en")], region[kpi])
    assert numbers[t("count.accounts", "en")] == (exports["accounts"]["region"] == REGION).sum()


def test_accounts_sheet_equals_kpis_and_accounts_csv(
    en: openpyxl.Workbook, exports: dict[str, pd.DataFrame], demo_run: Run
) -> None:
    sheet = read_table(en["Accounts"], "accounts_accounts").set_index(column_label("account_id", "en"))
    accounts = exports["accounts"]
    assert set(sheet.index) == set(accounts.index[accounts["region"] == REGION])
    per_account = exports["kpis"].loc["account"]
    for account_id, row in sheet.iterrows():
        kpis = per_account.loc[str(account_id)]
        for kpi in ("revenue", "attainment", "share_of_wallet", "share_change_pp"):
            assert_kpi(row[column_label(kpi, "en")], kpis, kpi, demo_run.params.kpi)
        assert_same(row[column_label("target_nq_reconciled", "en")], accounts.loc[account_id, "target_nq_reconciled"])
        assert row[column_label("account_name", "en")] == accounts.loc[account_id, "account_name"]
        assert row[column_label("position", "en")] == accounts.loc[account_id, "position"]


def test_company_workbook_has_the_same_design(company_path: Path, exports: dict[str, pd.DataFrame]) -> None:
    book = openpyxl.load_workbook(company_path)
    assert book.sheetnames == [t(f"sheet.{s}", "en") for s in COMPANY_SECTION_IDS]
    card = read_table(book["Summary"], "summary_scorecard").set_index("Measure")
    assert_same(card.loc["Revenue", "Value"], exports["kpis"].loc[("company", "all", "revenue")])
    accounts = exports["accounts"]
    assert len(read_table(book["Accounts"], "accounts_accounts")) == int(accounts["key_account"].sum())
    charts = {sheet: n for sheet, n in charts_per_sheet(company_path).items() if n}
    assert charts == {t(f"sheet.{s}", "en"): n for s, n in CHARTS_PER_SECTION.items()}


# --------------------------------------------------------------------------- what a manager acts on (issue 14)
def test_owner_scorecard_total_row_is_the_region(
    en: openpyxl.Workbook, exports: dict[str, pd.DataFrame], demo_run: Run
) -> None:
    card = read_table(en[t("sheet.managers", "en")], "managers_owners")
    owner = column_label("owner", "en")
    accounts = exports["accounts"]
    east_owners = set(accounts.loc[accounts["region"] == REGION, "owner"])
    assert list(card[owner])[-1] == t("total", "en") and set(card[owner][:-1]) == east_owners
    region = exports["kpis"].loc["region", REGION]
    total = card.iloc[-1]
    for kpi in OWNER_COLUMNS:
        assert_kpi(total[column_label(kpi, "en")], region, kpi, demo_run.params.kpi)
    # the owner rows add up to the region: revenue, target, key accounts, and the opportunities
    # each counted once, for their own owner
    for kpi in ("revenue", "revenue_target", "key_accounts"):
        assert sum(card[column_label(kpi, "en")][:-1]) == pytest.approx(region[kpi], rel=1e-9)
    owners = demo_run.data.results.owner_scorecard
    east = owners[(owners["region"] == REGION) & ~owners["total"].astype(bool)]
    assert east["pipeline_amount"].sum() == pytest.approx(region["pipeline_amount"], rel=1e-9)
    per_owner = total[column_label("key_accounts_per_owner", "en")]
    assert per_owner == pytest.approx(region["key_accounts"] / len(east_owners))


def test_regions_side_by_side_equal_kpis_csv(
    company_path: Path, exports: dict[str, pd.DataFrame], demo_run: Run
) -> None:
    book = openpyxl.load_workbook(company_path)
    table = read_table(book[t("sheet.regions", "en")], "regions_regions").set_index(column_label("region", "en"))
    kpis = exports["kpis"]
    assert list(table.index) == [*demo_run.regions, t("total", "en")]
    for name, row in table.iterrows():
        expected = kpis.loc["company", "all"] if name == t("total", "en") else kpis.loc["region", str(name)]
        for kpi in REGION_COLUMNS:
            assert_kpi(row[column_label(kpi, "en")], expected, kpi, demo_run.params.kpi)
    # red / amber / green on the five indicators' columns
    assert {"attainment", "frequency_attainment", "gross_margin", "fill_rate"} <= set(demo_run.params.report.rag)


def test_every_indicator_and_its_trend_equal_kpis_csv(
    en: openpyxl.Workbook, exports: dict[str, pd.DataFrame], demo_run: Run
) -> None:
    sheet = en[t("sheet.indicators", "en")]
    region = exports["kpis"].loc["region", REGION]
    shown: dict[str, object] = {}
    for name in ("indicators_sales_to_fill", "indicators_profit_to_receivables"):
        table = read_table(sheet, name)
        shown |= dict(zip(table[column_label("kpi", "en")], table[column_label("value", "en")], strict=True))
    wanted = [
        "growth_gap_pp", "demand_growth_yoy", "growth_qoq", "growth_yoy", "high_margin_mix", "high_margin_revenue",
        "promotions", "promo_lead_days_median", "promo_on_time_share", "displays", "visit_success_rate", "coverage",
        "volume_per_100_spend", "spend_efficiency", "spend_fixed_fee", "spend_promotion", "spend_display",
        "spend_rebate", "spend_other", "otif_rate", "fill_rate", "forecast", "forecast_accuracy", "win_rate",
        "pipeline_coverage", "overdue_ratio", "dso_days",
    ]  # fmt: skip
    for kpi in wanted:  # issue 14 §1, each with its figure from kpis.csv
        assert_kpi(shown[kpi_label(kpi, "en")], region, kpi, demo_run.params.kpi)
    aging = read_table(sheet, "indicators_aging").set_index(column_label("item", "en"))[column_label("value", "en")]
    for kpi in ("ar_aging_0_30", "ar_aging_31_60", "ar_aging_61_90", "ar_aging_over_90"):
        assert_same(aging[kpi_label(kpi, "en")], region[kpi])

    trend = read_table(sheet, "indicators_trend").set_index(column_label("period", "en"))
    history = exports["history"].loc["region", REGION]
    assert len(trend) == demo_run.params.kpi.trend_quarters and trend.index[-1] == str(demo_run.period)
    for period, row in trend.iterrows():
        for kpi in ("revenue", "share_of_wallet", "frequency_attainment", "gross_margin", "fill_rate"):
            assert_kpi(row[column_label(kpi, "en")], history.loc[str(period)], kpi, demo_run.params.kpi)


def test_not_meaningful_ratios_read_nm(en: openpyxl.Workbook, exports: dict[str, pd.DataFrame]) -> None:
    """Growth over less than kpi.min_base_revenue of last year's revenue reads "n.m.", never thousands of percent."""
    sheet = read_table(en["Accounts"], "accounts_accounts").set_index(column_label("account_id", "en"))
    growth = sheet[column_label("growth_yoy", "en")]
    per_account = exports["kpis"].loc["account"]
    small = [
        a
        for a in sheet.index
        if per_account.loc[str(a)].get("revenue_py", 0.0) < 10_000
        and pd.notna(per_account.loc[str(a)].get("growth_yoy"))
    ]
    assert small and all(growth[a] == not_meaningful_text("en") for a in small)
    numbers = [v for v in growth if isinstance(v, float)]
    assert max(abs(v) for v in numbers) < 10  # what is left is a plausible growth


def test_money_at_stake_skips_accounts_below_materiality(
    en: openpyxl.Workbook, exports: dict[str, pd.DataFrame], demo_run: Run
) -> None:
    sheet = en[t("sheet.attention", "en")]
    view = demo_run.region(REGION)
    floor = demo_run.params.report.materiality * exports["kpis"].loc[("region", REGION, "revenue")]
    accounts = exports["accounts"]
    east = accounts[accounts["region"] == REGION]
    ids = dict(zip(east["account_name"], east.index, strict=False))
    size = exports["kpis"].loc["account"].unstack()[["revenue", "revenue_py"]].fillna(0).max(axis=1)
    exceptions = demo_run.data.results.exceptions
    exceptions = exceptions[exceptions["account_id"].isin(east.index)]
    material = exceptions[size.reindex(exceptions["account_id"]).to_numpy() >= floor]
    assert len(material) < len(exceptions)  # some exceptions of small accounts are left out
    for table_id, kind in (
        ("share_lost", "share_lost"),
        ("revenue_falling", "revenue_falling"),
        ("fill_rate_misses", "fill_rate_miss"),
        ("overdue_receivables", "overdue_receivables"),
        ("key_not_visited", "key_not_visited"),
    ):
        expected = material[material["kind"] == kind].sort_values("amount", ascending=False)
        assert len(attention.of_kind(view, kind)) == len(expected), kind  # the whole list, before the top rows
        if expected.empty:
            continue
        table = read_table(sheet, f"attention_{table_id}")
        assert [ids[n] for n in table[column_label("account_name", "en")]] == list(expected["account_id"][: len(table)])
        assert list(table[column_label("at_stake", "en")]) == pytest.approx(list(expected["amount"][: len(table)]))


def test_missing_numbers_are_blank_never_errors(en: openpyxl.Workbook) -> None:
    for ws in en.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type not in ("e", "f"), f"{ws.title}!{cell.coordinate}"
                assert not (isinstance(cell.value, str) and cell.value.startswith("#")), f"{ws.title}!{cell.coordinate}"


# --------------------------------------------------------------------------- charts, formats, layout
def test_charts_are_on_their_sheets(en_path: Path) -> None:
    expected = {t(f"sheet.{s}", "en"): CHARTS_PER_SECTION.get(s, 0) for s in SECTION_IDS}
    assert charts_per_sheet(en_path) == expected
    with zipfile.ZipFile(en_path) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert any("<c:barChart>" in c and "<c:lineChart>" in c for c in charts)  # revenue columns + target line
    assert any('<c:grouping val="stacked"/>' in c and "<a:noFill/>" in c for c in charts)  # the bridge's base


def test_number_formats_follow_units(en: openpyxl.Workbook, demo_run: Run) -> None:
    theme = load_theme()
    sections = {s.id: s for s in report_sections(demo_run.region(REGION))}
    for section, table_id in (("accounts", "accounts"), ("pipeline", "funnel"), ("profit", "by_account")):
        table = sections[section].table(table_id)
        _, rows = table_cells(en[t(f"sheet.{section}", "en")], f"{section}_{table_id}")
        for col, column in enumerate(table.shown):
            unit = table.units[column]
            expected = theme.number_format(unit, "¥")
            numbers = [row[col] for row in rows if row[col].value != not_meaningful_text("en")]
            assert {cell.number_format for cell in numbers} == {expected}, column
    headers, rows = table_cells(en["Accounts"], "accounts_accounts")
    shown = {h: rows[0][i].number_format for i, h in enumerate(headers)}
    assert shown["Revenue"] == '"¥"#,##0'
    assert shown["Attainment"] == "0.0%"
    assert shown["Share change (pp)"] == '+0.0" pp";-0.0" pp";0.0" pp"'
    assert shown["Pipeline coverage"] == '0.00"×"'


def test_kpi_columns_have_conditional_formats(en: openpyxl.Workbook) -> None:
    def rules(ws: Worksheet) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for rng in ws.conditional_formatting:
            column = re.sub(r"\d", "", str(rng.sqref).split(":")[0])
            found.setdefault(column, set()).update(rule.type for rule in rng.rules)
        return found

    headers, _ = table_cells(en["Accounts"], "accounts_accounts")
    letter = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(headers)}
    accounts = rules(en["Accounts"])
    assert accounts[letter["Revenue"]] == {"dataBar"}
    for kpi in ("attainment", "share_change_pp", "frequency_attainment", "gross_margin", "fill_rate"):
        assert accounts[letter[kpi_label(kpi, "en")]] == {"expression"}, kpi
    card_headers, _ = table_cells(en["Summary"], "summary_scorecard")
    status = openpyxl.utils.get_column_letter(card_headers.index("Status") + 1)
    assert rules(en["Summary"])[status] == {"cellIs"}
    assert "colorScale" in set().union(*rules(en["Rhythm"]).values())
    assert "cellIs" in set().union(*rules(en["Pipeline"]).values())  # funnel status


def test_frozen_header_print_setup_and_gridlines(en: openpyxl.Workbook) -> None:
    accounts = en["Accounts"]
    header_row = int(re.sub(r"\D", "", accounts.tables["accounts_accounts"].ref.split(":")[0]))
    assert accounts.freeze_panes == f"B{header_row + 1}"  # the header and the account names stay in view
    assert accounts.print_title_rows == f"${header_row}:${header_row}"
    assert int(accounts.page_setup.scale) >= 70  # large enough to read (it printed at ~45 % before)
    printed = accounts.print_area.split(":")[-1]
    headers, _ = table_cells(accounts, "accounts_accounts")
    last = re.sub(r"[\d$]", "", printed)
    assert headers[openpyxl.utils.column_index_from_string(last) - 1] == column_label("target_nq_reconciled", "en")
    for ws in en.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.print_title_rows, ws.title
        assert ws.freeze_panes, ws.title
        if ws.title == "Summary":  # one page
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight or 1) == (1, 1)
        else:  # one page wide at a set scale, so every application breaks pages alike
            assert 10 <= int(ws.page_setup.scale or 100) <= 100, ws.title  # 100 is the default, left out
    assert en["Summary"].sheet_view.showGridLines is False
    assert en["Accounts"].sheet_view.showGridLines is not False


def test_columns_fit_their_content(en: openpyxl.Workbook, demo_run: Run) -> None:
    sheet = en["Accounts"]
    names = demo_run.region(REGION).accounts["account_name"].astype(str)
    widest = max(text_width(n) for n in names)
    width = sheet.column_dimensions["A"].width
    assert width >= min(widest, load_theme().layout.list_column_width)  # longer names wrap, never cut
    _, rows = table_cells(sheet, "accounts_accounts")
    long_names = [row[0] for row in rows if text_width(str(row[0].value)) > width]
    assert all(cell.alignment.wrap_text for cell in long_names)
    headers, rows = table_cells(sheet, "accounts_accounts")
    col = headers.index("Revenue")
    largest = max(abs(row[col].value) for row in rows if row[col].value is not None)
    letter = openpyxl.utils.get_column_letter(col + 1)
    assert sheet.column_dimensions[letter].width >= len(f"¥{largest:,.0f}") + 1  # never ####


def test_document_properties_are_pinned(en: openpyxl.Workbook, en_path: Path, demo_run: Run, out: Path) -> None:
    props = en.properties
    assert REGION in props.title and "2026Q3" in props.title
    assert props.creator == demo_run.params.report.company_name
    assert props.created == datetime(2026, 9, 30)
    again = write_workbook(demo_run.region(REGION), out / "again.xlsx", plans=None)
    with zipfile.ZipFile(en_path) as first, zipfile.ZipFile(again) as second:
        assert first.read("docProps/core.xml") == second.read("docProps/core.xml")
        assert first.read("docProps/app.xml") == second.read("docProps/app.xml")


# --------------------------------------------------------------------------- language, links, hostile text
def test_chinese_workbook_labels_and_identical_numbers(zh: openpyxl.Workbook, en: openpyxl.Workbook) -> None:
    summary = zh[t("sheet.summary", "zh")]
    assert summary["A1"].value == t("title.summary", "zh")
    assert summary["A3"].value == t("intro.summary", "zh")
    headers, zh_rows = table_cells(zh[t("sheet.accounts", "zh")], "accounts_accounts")
    assert column_label("account_name", "zh") in headers and column_label("revenue", "zh") in headers
    _, en_rows = table_cells(en["Accounts"], "accounts_accounts")
    for zh_row, en_row in zip(zh_rows, en_rows, strict=True):
        for zh_cell, en_cell in zip(zh_row, en_row, strict=True):
            if isinstance(en_cell.value, float | int):
                assert zh_cell.value == en_cell.value
    position = headers.index(column_label("position", "zh"))
    assert {row[position].value for row in zh_rows} <= {"维护", "防御", "进攻", "未知"}


def test_plan_links_keep_the_name_as_text(en: openpyxl.Workbook, plans: dict[str, str]) -> None:
    headers, rows = table_cells(en["Accounts"], "accounts_accounts")
    ids, names = headers.index("Account"), headers.index("Account name")
    linked = {row[ids].value: row[names] for row in rows if row[names].hyperlink is not None}
    assert set(linked) == set(plans)
    for account_id, cell in linked.items():
        assert cell.data_type == "s"
        assert cell.hyperlink.target.replace("\\", "/") == plans[account_id]


def test_formula_like_names_are_stored_as_text(hostile_path: Path) -> None:
    book = openpyxl.load_workbook(hostile_path)
    headers, rows = table_cells(book["Accounts"], "accounts_accounts")
    names = {row[headers.index("Account name")].value: row[headers.index("Account name")] for row in rows}
    for name in HOSTILE:
        assert name in names, name
        assert names[name].data_type == "s"
        assert names[name].hyperlink is None
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
    with zipfile.ZipFile(hostile_path) as z:
        assert not any("hyperlink" in n for n in z.namelist())
        shared = z.read("xl/sharedStrings.xml").decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in shared


def test_absent_table_gives_one_sentence(hostile_path: Path) -> None:
    sheet = openpyxl.load_workbook(hostile_path)[t("sheet.execution", "en")]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert t("absent", "en").format(table="visits") in texts
    assert not sheet.tables


def test_thresholds_stand_in_for_missing_targets_and_no_reconciliation_unasked(hostile_path: Path) -> None:
    book = openpyxl.load_workbook(hostile_path)
    card = read_table(book["Summary"], "summary_scorecard").set_index(column_label("kpi", "en"))
    basis = card[column_label("target_basis", "en")]
    assert basis[kpi_label("revenue", "en")] == "target"  # the targets table's revenue targets
    assert basis[kpi_label("gross_margin", "en")] == "green threshold"
    assert card.loc[kpi_label("gross_margin", "en"), "Target"] == ReportParams().rag["gross_margin"].green
    targets = read_table(book[t("sheet.targets", "en")], "targets_targets")
    assert column_label("target_nq", "en") in targets.columns
    assert column_label("target_nq_reconciled", "en") not in targets.columns  # it would equal the formula's


def test_a_table_left_out_names_the_input_it_needs_and_its_kpis_stay_empty(hostile_path: Path) -> None:
    sheet = openpyxl.load_workbook(hostile_path)[t("sheet.plans", "en")]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert t("absent.table", "en").format(title=t("title.open_bids", "en"), table="bids") in texts
    members = read_table(sheet, "plans_by_member")
    for kpi in ("objectives_due", "objectives_done_share", "objectives_overdue", "bid_win_rate"):
        assert members[kpi_label(kpi, "en")].isna().all(), kpi  # empty, never zero
    assert members[kpi_label("promo_plan_coverage", "en")].notna().all()  # the promotion plan is there


# --------------------------------------------------------------------------- pure helpers
def test_bridge_bars_stack_to_the_running_total() -> None:
    values = pd.Series([100.0, -30.0, -50.0, 20.0, -40.0, -20.0])
    kinds = pd.Series(["total", "step", "step", "total", "step", "total"])
    bars = bridge_bars(values, kinds)
    assert bars.to_dict("list") == {
        "base_up": [0.0, 70.0, 20.0, 0.0, 0.0, 0.0],
        "base_down": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "bar_up": [100.0, 30.0, 50.0, 20.0, 20.0, 0.0],
        "bar_down": [0.0, 0.0, 0.0, 0.0, -20.0, -20.0],
    }


def test_theme_formats_and_widths() -> None:
    theme = load_theme()
    assert theme.number_format("amount", "¥") == '"¥"#,##0'
    assert theme.number_format("amount", "CNY") == '#,##0 "CNY"'
    assert theme.number_format("share", "¥") == "0.0%"
    assert theme.font("zh").name != theme.font("en").name
    assert text_width("客户名称") == 8 and text_width("Name") == 4


def test_labels_are_made_unique_and_text_wraps() -> None:
    assert unique_labels(["Stage", "Stage", "Amount", "Stage"]) == ["Stage", "Stage (2)", "Amount", "Stage (3)"]
    assert wrapped_lines("one two three", 7) == 2
    assert wrapped_lines("客户名称客户名称", 8) == 2


def test_spend_ratios_show_over_their_own_minimum_base(en: openpyxl.Workbook, exports: dict[str, pd.DataFrame]) -> None:
    """Revenue per 100 spend is 100 × revenue / trade spend where spend reaches kpi.min_base_spend (1,000), else n.m."""
    sheet = read_table(en[t("sheet.profit", "en")], "profit_by_account")
    nm = not_meaningful_text("en")
    spend, revenue = sheet[column_label("trade_spend", "en")], sheet[column_label("revenue", "en")]
    ratio = sheet[kpi_label("spend_efficiency", "en")]
    shown = [(s, r, v) for s, r, v in zip(spend, revenue, ratio, strict=True) if s is not None and s >= 1_000]
    small = [v for s, v in zip(spend, ratio, strict=True) if s is not None and 0 < s < 1_000]
    assert shown and small  # the demo has both (most spend is under min_base_revenue, 10,000)
    for s, r, v in shown:  # the cells hold whole currency units: the ratio of the shown figures to 1 %
        assert v == pytest.approx(100 * r / s, rel=0.01)
    assert all(v == nm for v in small)


def _width(ws: Worksheet, column: int) -> float:
    """The width a column was given (openpyxl keys a run of equal widths by its first column), less the
    5 pixels XlsxWriter stores on top (to 1/256 of a unit)."""
    dim = next(d for d in ws.column_dimensions.values() if d.min <= column <= d.max)
    return float(dim.width) - 5 / 7 + 0.01


def _lines_points(lines: int) -> float:
    return round(lines * 10 * 1.35 + 3, 1)  # 10-point body text (theme), as SheetWriter._lines


def test_wrapped_headers_get_every_line(en: openpyxl.Workbook) -> None:
    """The header row is as tall as its longest header wraps: "Revenue per 100 spend" takes three lines."""
    assert header_lines("Revenue per 100 spend", 10.7) == 3  # Revenue / per 100 / spend, as LibreOffice prints it
    assert header_lines("Contribution margin", 12.3) == 2
    ws = en[t("sheet.profit", "en")]
    ref = ws.tables["profit_by_account"].ref
    header = ws[ref][0]
    label = kpi_label("spend_efficiency", "en")
    cell = next(c for c in header if c.value == label)
    lines = header_lines(label, _width(ws, cell.column))
    assert lines >= 3 and ws.row_dimensions[cell.row].height == _lines_points(lines)


def test_chinese_headers_leave_no_character_alone(zh: openpyxl.Workbook) -> None:
    """A CJK header breaks between any two characters: its width never leaves one alone on a line.

    Checked for a glyph of 1.3 (LibreOffice) to 2 (Excel) column units: "目标达成率" at 6.7 would break
    3 + 2 in Excel but 4 + 1 in LibreOffice, so it gets one line (11).
    """
    assert cjk_header_fit("目标达成率", 6.7) == 11.0 and cjk_header_fit("客户经理人数", 7.4) == 7.4
    checked = 0
    for ws in zh.worksheets:
        for name in ws.tables:
            for cell in ws[ws.tables[name].ref][0]:
                label = str(cell.value)
                if not is_cjk(label) or len(label) < 3:
                    continue
                usable = _width(ws, cell.column) - 1.0  # the cell's padding takes one unit
                for glyph in (1.3, 1.5, 1.7, 2.0):
                    per_line = int(usable / glyph)
                    assert per_line >= 2 and (per_line >= len(label) or len(label) % per_line != 1), (label, glyph)
                checked += 1
    assert checked > 20
