"""The results store: computed once, reused while nothing changed, recomputed when an input or param did."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_demo_params

from kamreport.params import load_params
from kamreport.periods import Quarter
from kamreport.registry import KPI_IDS
from kamreport.run import store
from kamreport.run.exports import write_exports


def test_reused_until_an_input_or_a_param_changes(tmp_path, monkeypatch):
    path = write_demo_params(tmp_path, n_accounts=40)
    params = load_params(path)
    first = store.load_or_compute(params)
    assert not first.reused and (params.run_dir / store.RESULTS_DIR / "meta.json").is_file()
    monkeypatch.setattr(store, "_MEMORY", {})  # as a new process would: read the store from disk
    again = store.load_or_compute(params)
    assert again.reused and again.key == first.key
    pd.testing.assert_frame_equal(again.results.accounts, first.results.accounts, check_dtype=False)
    assert store.load_or_compute(load_params(path, language="zh")).reused  # a report setting: same numbers

    changed = load_params(path, planning={"positions": {"maintain_share": 0.8}})
    assert not store.load_or_compute(changed).reused

    sales_file = tmp_path / "data" / "sales.parquet"
    sales = pd.read_parquet(sales_file)
    sales.loc[0, "revenue"] += 1000
    sales.to_parquet(sales_file)
    recomputed = store.load_or_compute(params)
    assert not recomputed.reused and recomputed.key != first.key
    difference = recomputed.facts.sales_month["revenue"].sum() - first.facts.sales_month["revenue"].sum()
    assert difference == pytest.approx(1000)


def test_kpis_csv_long_format(demo_computed, tmp_path):
    write_exports(demo_computed.results, demo_computed.quality, tmp_path)
    kpis = pd.read_csv(tmp_path / "kpis.csv", dtype={"key": str}, keep_default_na=False, na_values=[""])
    assert list(kpis.columns) == ["period", "level", "key", "kpi", "value"]
    trend = [str(q) for q in Quarter.parse("2026Q3").trailing(8)]
    assert list(dict.fromkeys(kpis["period"])) == trend
    # every trend quarter above the accounts; the accounts in the run's period only
    for period, rows in kpis.groupby("period", sort=False):
        levels = (
            ["account", "owner", "group", "region", "company"]
            if period == "2026Q3"
            else ["owner", "group", "region", "company"]
        )
        assert list(dict.fromkeys(rows["level"])) == levels
        for _level, within in rows.groupby("level", sort=False):
            assert within[["key", "kpi"]].equals(within[["key", "kpi"]].sort_values(["key", "kpi"]))
    assert set(kpis["kpi"]) == set(KPI_IDS)
    owners = kpis[(kpis["level"] == "owner") & (kpis["kpi"] == "revenue")]
    assert owners.groupby("period").size().nunique() == 1  # every owner in every quarter
    # the accounts' history: every account in every trend quarter, wide, equal to the results
    history = pd.read_parquet(tmp_path / "kpis_history.parquet")
    assert list(history.columns) == ["period", "account_id", *KPI_IDS]
    n_accounts = len(demo_computed.results.accounts)
    assert len(history) == 8 * n_accounts and history.groupby("period").size().eq(n_accounts).all()
    earlier = history[history["period"] == "2025Q4"].set_index("account_id")["revenue"]
    assert earlier.to_dict() == demo_computed.results.kpi_table("account", "2025Q4")["revenue"].to_dict()
    text = (tmp_path / "kpis.csv").read_text(encoding="utf-8-sig")
    assert ",,\n" not in text and ",\n" in text  # missing values are empty, never 0 or inf
    assert "inf" not in text and "nan" not in text.lower()


def test_every_id_present_at_every_level_where_its_inputs_exist(demo_computed):
    """A KPI is at a level wherever one of the level's accounts has it (its inputs exist there)."""
    results = demo_computed.results
    accounts = results.kpi_table("account")
    grouped = results.accounts.set_index("account_id")["group_id"].notna()
    for level in ("owner", "group", "region", "company"):
        members = accounts.loc[grouped[grouped].index] if level == "group" else accounts
        expected = members.notna().any()
        present = results.kpi_table(level).notna().any()
        assert (present[expected[expected].index]).all(), f"{level}: {list(present[expected & ~present].index)}"
    assert accounts.notna().any().all(), list(accounts.columns[~accounts.notna().any()])
