"""The results store: computed once, reused while nothing changed, recomputed when an input or param did."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from builders import write_params
from conftest import write_demo_params

from kamreport.data import inputs
from kamreport.errors import RejectLimitError
from kamreport.params import load_params
from kamreport.periods import Quarter
from kamreport.registry import KPI_IDS
from kamreport.run import store
from kamreport.run.exports import write_exports, write_history


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
    history = pd.read_parquet(write_history(demo_computed.results, tmp_path))
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


def _csv_inputs(folder, sales_lines: list[str], **values):  # type: ignore[no-untyped-def]
    """accounts.csv (A1, A2 in East) and sales.csv with ``sales_lines`` under date,account_id,revenue,order_id."""
    (folder / "accounts.csv").write_text(
        "account_id,account_name,region,owner\nA1,Alpha,East,Li\nA2,Beta,East,Li\n", encoding="utf-8"
    )
    sales = folder / "sales.csv"
    sales.write_text("date,account_id,revenue,order_id\n" + "\n".join(sales_lines) + "\n", encoding="utf-8")
    tables = {"accounts": folder / "accounts.csv", "sales": {"path": str(sales), **values.pop("sales", {})}}
    return load_params(write_params(folder, tables, **values)), sales


def _company_revenue(computed) -> float:  # type: ignore[no-untyped-def]
    return float(computed.results.kpi_table("company").loc["all", "revenue"])


def test_a_same_size_edit_with_its_time_stamp_restored_is_seen(tmp_path, monkeypatch):
    """`touch -r` puts the modification time back; the change time cannot be, so the file is hashed again."""
    params, sales = _csv_inputs(tmp_path, ["2026-07-01,A1,5,O1", "2026-07-02,A2,4,O2"])
    first = store.load_or_compute(params)
    assert _company_revenue(first) == 9
    before = sales.stat()
    time.sleep(0.05)  # past the file system's clock tick
    sales.write_text(sales.read_text(encoding="utf-8").replace(",5,", ",7,"), encoding="utf-8")
    os.utime(sales, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
    assert sales.stat().st_size == before.st_size and sales.stat().st_mtime_ns == before.st_mtime_ns
    monkeypatch.setattr(store, "_MEMORY", {})
    monkeypatch.setattr(inputs, "RACY_NS", 0)  # trust a fresh hash: only the ctime rule can catch the edit
    again = store.load_or_compute(params)
    assert not again.reused and _company_revenue(again) == 11
    assert again.inputs[-1].sha256 == hashlib.sha256(sales.read_bytes()).hexdigest()


def test_a_stored_hash_is_reused_only_while_the_whole_file_state_matches(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    time.sleep(0.01)
    real = inputs.fingerprint_file("sales", path)
    assert real.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    stored = dataclasses.replace(real, sha256="0" * 64)  # a stored hash we can recognise
    assert inputs.fingerprint_file("sales", path, stored).sha256 == "0" * 64  # nothing changed: reused
    for field, value in [("inode", real.inode + 1), ("device", real.device + 1), ("ctime_ns", real.ctime_ns - 1)]:
        assert (
            inputs.fingerprint_file("sales", path, dataclasses.replace(stored, **{field: value})).sha256 == real.sha256
        )
    monkeypatch.setattr(inputs, "RACY_NS", 2_000_000_000)
    assert inputs.fingerprint_file("sales", path, stored).sha256 == real.sha256  # hashed within 2 s of a change


def test_a_process_opening_the_run_again_hashes_an_untrusted_input_once(tmp_path, monkeypatch):
    """A warm kernel opens the run for every report: a stored hash taken too close to the file's change is not
    trusted, so the process hashes the file again — once, then it trusts its own record until the file changes."""
    params, sales = _csv_inputs(tmp_path, ["2026-07-01,A1,5,O1"])
    store.load_or_compute(params)
    meta = params.run_dir / store.RESULTS_DIR / "meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    for item in doc["inputs"]:
        item["hashed_ns"] = item["mtime_ns"]  # hashed the instant the file changed: never trusted
    meta.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(inputs, "RACY_NS", 0)
    monkeypatch.setattr(store, "_FINGERPRINTS", {})
    hashed: list[Path] = []
    real_sha256 = inputs.sha256
    monkeypatch.setattr(inputs, "sha256", lambda path: hashed.append(path) or real_sha256(path))
    files = len(doc["inputs"])
    assert store.load_or_compute(params).reused and len(hashed) == files  # the stored records: hashed again
    assert store.load_or_compute(params).reused and len(hashed) == files  # this process's records: trusted
    time.sleep(0.05)  # past the file system's clock tick
    sales.write_text(sales.read_text(encoding="utf-8").replace(",5,", ",6,"), encoding="utf-8")
    changed = store.load_or_compute(params)
    assert not changed.reused and hashed[files:] == [sales] and _company_revenue(changed) == 6


def test_force_records_the_hashes_of_the_files_read(tmp_path):
    params, sales = _csv_inputs(tmp_path, ["2026-07-01,A1,5,O1"])
    store.load_or_compute(params)
    meta = params.run_dir / store.RESULTS_DIR / "meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    for item in doc["inputs"]:
        item["sha256"] = "0" * 64  # a stored hash that no longer matches the file
    meta.write_text(json.dumps(doc), encoding="utf-8")
    forced = store.load_or_compute(params, force=True)
    assert [f.sha256 for f in forced.inputs] == [
        hashlib.sha256(Path(f.path).read_bytes()).hexdigest() for f in forced.inputs
    ]
    assert forced.inputs[-1].path == str(sales)


def test_the_reject_limit_holds_on_reused_results(tmp_path, monkeypatch):
    """--allow-rejects once, then a run without it: the stored results are refused too."""
    lines = [f"2026-07-{d:02d},A1,10,O{d}" for d in range(1, 10)] + ["2026-07-10,ZZ,10,O10"]  # 1 of 10 unknown
    params, _ = _csv_inputs(tmp_path, lines)
    allowed = params.model_copy(update={"validation": params.validation.model_copy(update={"allow_rejects": True})})
    assert store.load_or_compute(allowed).reports[-1].rows_set_aside == 1
    for memory in ({}, None):  # in this process (results in memory) and in a new one (read from the store)
        if memory is not None:
            monkeypatch.setattr(store, "_MEMORY", memory)
        with pytest.raises(RejectLimitError, match=r"sales lost 1 of 10 rows \(10\.0%\)"):
            store.load_or_compute(params)
    assert store.load_or_compute(allowed).reused


def test_rows_set_aside_by_a_params_rule_survive_the_store(tmp_path, monkeypatch):
    (tmp_path / "returns.csv").write_text("order\nO1\nO2\nO3\n", encoding="utf-8")
    rule = {"path": str(tmp_path / "returns.csv"), "column": "order", "match": "order_id", "reason": "returned"}
    lines = [f"2026-07-{d:02d},A1,10,O{d}" for d in range(1, 11)]
    params, _ = _csv_inputs(tmp_path, lines, sales={"set_aside": [rule]})
    first = store.load_or_compute(params)  # 3 of 10 set aside by the rule: a choice, not rejects
    monkeypatch.setattr(store, "_MEMORY", {})
    again = store.load_or_compute(params)
    assert again.reused
    sales = {r.table: r for r in again.reports}["sales"]
    assert (sales.rows_set_aside, sales.rows_by_rule, sales.reject_share) == (3, 3, 0.0)
    assert _company_revenue(first) == _company_revenue(again) == 70


def test_a_stored_run_reads_only_the_frames_a_report_uses_and_shows_the_same_figures(demo_computed, monkeypatch):
    from kamreport.report.chapters import report_sections
    from kamreport.report.views import Run

    monkeypatch.setattr(store, "_MEMORY", {})  # not the session's computed run: read the store
    stored = store.load_stored(demo_computed.params)
    assert isinstance(stored.facts, store.StoredFacts) and isinstance(stored.results, store.StoredResults)
    assert stored.facts.__dict__["_frames"] == {} and stored.results.__dict__["_frames"] == {}
    region = sorted(demo_computed.results.accounts["region"].unique())[0]
    fresh = report_sections(Run(demo_computed, "en").region(region))
    again = report_sections(Run(stored, "en").region(region))
    assert [s.id for s in again] == [s.id for s in fresh]
    for before, after in zip(fresh, again, strict=True):
        assert [t.id for t in after.tables] == [t.id for t in before.tables]
        for b, a in zip(before.tables, after.tables, strict=True):
            # (a pivot's columns name does not survive Parquet: the reports never show it)
            pd.testing.assert_frame_equal(a.frame, b.frame, check_names=False, obj=f"{before.id}/{b.id}")
            assert a.note == b.note
    # the sales facts (most of the store at scale) are never read for a report
    read = set(stored.facts.__dict__["_frames"])
    assert read and not read & {"sales_month", "sales_week", "sales_mix", "receivables", "orders_month"}


def test_a_stored_frame_is_never_read_from_another_runs_store(demo_computed, tmp_path):
    import shutil

    from kamreport.errors import InputError

    copy = tmp_path / store.RESULTS_DIR
    shutil.copytree(demo_computed.params.run_dir / store.RESULTS_DIR, copy)
    results = store.StoredResults.open(copy, demo_computed.key, demo_computed.results.period)
    assert len(results.accounts) == len(demo_computed.results.accounts)  # read while the store is this run's
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    (copy / "meta.json").write_text(json.dumps({**meta, "key": "another run"}), encoding="utf-8")
    with pytest.raises(InputError, match="changed while this run was reading them"):
        _ = results.kpis
