"""The kit on a real export nobody prepared for it: Tableau's Superstore, through its params file alone."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from rich.console import Console

from kamreport.params import load_params
from kamreport.run.pack import PackOptions, make_pack

EXAMPLE = ROOT / "examples" / "superstore" / "params.yaml"
FOLDER = Path(os.environ.get("SUPERSTORE_DIR", ROOT.parent / "shared" / "realdata" / "superstore"))
WORKBOOK = FOLDER / "Sample - Superstore.xls"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not WORKBOOK.is_file(), reason=f"Superstore sample not found at {WORKBOOK} (set SUPERSTORE_DIR)"
    ),
    pytest.mark.xdist_group("superstore"),  # own group: sharing "pack" built each module fixture twice
]


@pytest.fixture(scope="module")
def superstore(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example run (data and the East report), written to a temporary output folder."""
    params = load_params(EXAMPLE, output_dir=str(tmp_path_factory.mktemp("superstore")))
    result = make_pack(params, PackOptions(only=["data", "html"], regions=["East"]), Console(quiet=True))
    return params, result


def _independent_totals() -> pd.DataFrame:
    """Region revenue and profit of 2022Q4 with plain pandas, following the example's documented rules."""
    orders = pd.read_excel(WORKBOOK, sheet_name="Orders", engine="calamine")
    returns = pd.read_excel(WORKBOOK, sheet_name="Returns", engine="calamine")
    # a customer belongs to the region it bought most in (ties: the latest order)
    by_region = orders.groupby(["Customer ID", "Region"]).agg(sales=("Sales", "sum"), last=("Order Date", "max"))
    home = by_region.reset_index().sort_values(["Customer ID", "sales", "last"]).groupby("Customer ID")["Region"].last()
    used = orders[~orders.drop(columns="Row ID").duplicated(keep="first")]  # exact duplicate lines set aside
    used = used[~used["Order ID"].isin(set(returns["Order ID"]))]  # returned orders set aside
    quarter = used[(used["Order Date"] >= "2022-10-01") & (used["Order Date"] <= "2022-12-31")]
    quarter = quarter.assign(home=quarter["Customer ID"].map(home))
    return quarter.groupby("home").agg(revenue=("Sales", "sum"), gross_profit=("Profit", "sum"))


def test_region_revenue_and_profit_match_an_independent_computation(superstore):
    params, result = superstore
    assert result.exit_code == 0
    kpis = pd.read_csv(params.run_dir / "kpis.csv")
    regions = kpis[(kpis["level"] == "region") & (kpis["period"] == "2022Q4")].pivot(
        index="key", columns="kpi", values="value"
    )
    expected = _independent_totals()
    assert sorted(regions.index) == sorted(expected.index) == ["Central", "East", "South", "West"]
    for region, row in expected.iterrows():
        assert regions.loc[region, "revenue"] == pytest.approx(row["revenue"], rel=1e-9)
        assert regions.loc[region, "gross_profit"] == pytest.approx(row["gross_profit"], rel=1e-9)


def test_every_source_row_is_used_or_listed(superstore):
    params, result = superstore
    quality = pd.read_csv(params.run_dir / "data_quality.csv")
    rows = quality[(quality["table"] == "sales") & (quality["kind"] == "set_aside")]
    report = next(r for r in result.computed.reports if r.table == "sales")
    assert report.rows_read == 10_194
    assert report.rows_read == report.rows_used + report.rows_set_aside
    assert len(rows) == report.rows_set_aside and rows["source_row"].is_unique
    assert set(rows["reason"]) == {"returned order", "exact duplicate of row 3407", "exact duplicate of row 9364"} or (
        rows["reason"].str.startswith(("returned order", "exact duplicate of row")).all()
    )
    assert len(result.computed.facts.accounts) == 804
    conflicts = quality[(quality["table"] == "accounts") & (quality["kind"] == "conflict")]
    assert conflicts["reason"].str.contains("values of region").any()


def test_owners_come_from_the_people_sheet(superstore):
    params, _ = superstore
    accounts = pd.read_csv(params.run_dir / "accounts.csv")
    people = pd.read_excel(WORKBOOK, sheet_name="People", engine="calamine").set_index("Region")["Regional Manager"]
    assert (accounts["owner"] == accounts["region"].map(people)).all()


def test_sections_without_their_data_say_which_table_would_enable_them(superstore):
    params, _ = superstore
    page = next((params.run_dir / "regions" / "East").glob("*.html")).read_text(encoding="utf-8")
    for table in ("visits", "orders", "opportunities"):
        assert f"This section needs the {table} table" in page
    assert '<section id="profit">' in page and "This section needs the sales (its cost column)" not in page
