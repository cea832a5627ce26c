"""Account plans show the figures of kpis.csv / accounts.csv, and say so when a section has nothing."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from kamreport.report.chapters import chapters_for, report_sections
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.html import section_html
from kamreport.report.sections.commitments import plan_objectives
from kamreport.run.exports import write_exports


@pytest.fixture(scope="module")
def exports(demo_run, tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("exports")
    write_exports(demo_run.data.results, demo_run.data.quality, folder)
    kpis = pd.read_csv(folder / "kpis.csv", dtype={"key": str})
    kpis = kpis[kpis["period"] == str(demo_run.period)]
    accounts = pd.read_csv(folder / "accounts.csv", dtype={"account_id": str}).set_index("account_id")
    return kpis, accounts


def _kpi(kpis: pd.DataFrame, level: str, key: str, kpi: str) -> float:
    return float(kpis[(kpis["level"] == level) & (kpis["key"] == key) & (kpis["kpi"] == kpi)]["value"].iloc[0])


def _no_visits(demo_run) -> str:  # type: ignore[no-untyped-def]
    """A key account with no visit at all this quarter (the demo data has a few)."""
    visits = demo_run.data.facts.visits
    visited = set(visits.loc[visits["quarter"] == str(demo_run.period), "account_id"])
    return next(a for a in demo_run.key_accounts if a not in visited)


def _no_open_opportunities(demo_run) -> str:  # type: ignore[no-untyped-def]
    opps = demo_run.data.results.opportunities
    return next(a for a in demo_run.key_accounts if not ((opps["account_id"] == a) & (opps["status"] == "open")).any())


def _sections(view):  # type: ignore[no-untyped-def]
    return {s.id: s for s in report_sections(view)}


def test_every_key_account_and_group_gets_a_plan(demo_run):
    accounts = demo_run.accounts
    assert demo_run.key_accounts == sorted(
        accounts.loc[accounts["key_account"], "account_id"],
        key=lambda a: (-accounts.set_index("account_id").loc[a, "revenue_t4q"], a),
    )
    assert demo_run.groups == sorted(accounts.loc[accounts["key_account"], "group_id"].dropna().unique())


@pytest.mark.parametrize("which", ["largest", "no_visits", "no_opportunities"])
def test_plan_figures_equal_the_exports(demo_run, exports, which):
    kpis, accounts = exports
    account = {
        "largest": demo_run.key_accounts[0],
        "no_visits": _no_visits(demo_run),
        "no_opportunities": _no_open_opportunities(demo_run),
    }[which]
    sections = _sections(demo_run.account(account))
    assert list(sections) == [c.id for c in chapters_for("account")]  # their order: test_chapters.py
    score = sections["overview"].table("scorecard").frame.set_index("kpi_id")
    assert score.loc["revenue", "value"] == pytest.approx(_kpi(kpis, "account", account, "revenue"))
    assert score.loc["fill_rate", "value"] == pytest.approx(_kpi(kpis, "account", account, "fill_rate"), nan_ok=True)
    profile = sections["profile"].table("profile").frame.set_index("item")["value"]
    assert profile["Tier"].startswith(accounts.loc[account, "tier"])
    assert profile["Position"] == accounts.loc[account, "position"]
    derivation = sections["plan"].table("derivation").frame.set_index("item")["value"]
    assert derivation["Target next quarter"] == pytest.approx(accounts.loc[account, "target_nq_reconciled"])
    assert derivation["Base"] == pytest.approx(accounts.loc[account, "base"])


def test_an_account_with_no_visits_says_so(demo_run):
    view = demo_run.account(_no_visits(demo_run))
    visits = _sections(view)["relationship"].table("visits")
    assert visits.note == "No visits recorded for this account this quarter."
    assert "No visits recorded for this account this quarter." in section_html(_sections(view)["relationship"], view)


def test_an_account_with_no_open_opportunities_says_so(demo_run):
    view = demo_run.account(_no_open_opportunities(demo_run))
    table = _sections(view)["opportunities"].table("open")
    assert table.frame.empty and table.note == "No open opportunities for this account."


def test_group_plan_rolls_up_its_sites(demo_run, exports):
    kpis, accounts = exports
    group = demo_run.groups[0]
    view = demo_run.group(group)
    sections = _sections(view)
    sites = sections["profile"].table("sites").frame
    assert set(sites["account_id"]) == set(accounts.index[accounts["group_id"] == group])
    score = sections["overview"].table("scorecard").frame.set_index("kpi_id")
    assert score.loc["revenue", "value"] == pytest.approx(_kpi(kpis, "group", group, "revenue"))
    assert score.loc["revenue", "value"] == pytest.approx(sites["revenue"].sum())
    targets = sections["plan"].table("targets").frame
    derivation = sections["plan"].table("derivation").frame.set_index("item")["value"]
    assert derivation["Target next quarter"] == pytest.approx(targets["target_nq_reconciled"].sum())


def test_plan_workbook_sheets_and_figures(demo_run, demo_run_zh, exports, tmp_path):
    kpis, _ = exports
    account = demo_run.key_accounts[0]
    path = write_workbook(demo_run.account(account), tmp_path / "plan.xlsx")
    book = load_workbook(path, data_only=True)
    assert book.sheetnames == [
        "On a page",
        "Objectives",
        "Profile",
        "Performance",
        "Relationship",
        "Opportunities",
        "Plan",
        "Promotion plan",
        "For analysts",
    ]
    revenue = _kpi(kpis, "account", account, "revenue")
    numbers = [c.value for row in book["On a page"].iter_rows() for c in row if isinstance(c.value, int | float)]
    assert any(abs(v - revenue) < 1e-6 for v in numbers)
    zh = load_workbook(write_workbook(demo_run_zh.account(account), tmp_path / "plan_zh.xlsx"))
    assert zh.sheetnames == [
        "计划概要",
        "目标",
        "客户档案",
        "业绩",
        "客户关系",
        "商机",
        "计划",
        "促销计划",
        "分析附录",
    ]


def test_plan_actions_name_the_rule(demo_run):
    actions = demo_run.data.results.actions
    account = actions["account_id"].iloc[0]
    table = _sections(demo_run.account(account))["appendix"].table("rules").frame
    rules = set(actions.loc[actions["account_id"] == account, "rule"])
    assert set(table["rule"]) == rules and table["action"].str.len().gt(10).all()


def test_plan_objectives_name_who_carries_each_not_the_account_manager(demo_run):
    """A customer-side objective is carried by the customer's person: its column is the objective's owner."""
    objectives = demo_run.data.results.objectives
    customer_side = objectives[(objectives["party"] == "customer") & (objectives["status"] == "open")]
    account = str(customer_side["account_id"].iloc[0])
    frame = plan_objectives(demo_run.account(account))
    assert "owner" not in frame.columns
    mine = customer_side[customer_side["account_id"] == account]
    assert set(mine["owner"].astype(str)) <= set(frame["responsible"].astype(str))
    manager = str(demo_run.accounts.set_index("account_id").loc[account, "owner"])
    assert set(frame["responsible"].astype(str)) != {manager}  # the customer's people are there too


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_account_without_a_group_says_so(demo_run, demo_run_zh, lang):
    """The Group row of the profile and of the first page reads "none", never a blank cell."""
    run = demo_run if lang == "en" else demo_run_zh
    accounts = run.accounts.set_index("account_id")
    alone = next(a for a in run.key_accounts if pd.isna(accounts.loc[a, "group_id"]))
    view = run.account(alone)
    sections = _sections(view)
    label = {"en": "None (not part of a group)", "zh": "无（不属于任何集团）"}[lang]
    for chapter, table in (("profile", "profile"), ("overview", "key_facts")):
        frame = sections[chapter].table(table).frame
        group = {"en": "Group", "zh": "集团"}[lang]
        assert frame.loc[frame["item"] == group, "value"].tolist() == [label]
        assert label in section_html(sections[chapter], view)


def test_an_opportunity_action_writes_its_amount_as_money(demo_run, demo_run_zh):
    """ "Opportunity O… (¥541,000) is still open …": the amount carries the currency, as every amount does."""
    actions = demo_run.data.results.actions
    row = actions[actions["rule"] == "opportunity_overdue"].iloc[0]
    currency = demo_run.params.report.currency
    assert currency  # the demo writes amounts with one
    amount = f"{currency}{row['amount']:,.0f}"
    en = section_html(_sections(demo_run.account(row["account_id"]))["overview"], demo_run.account(row["account_id"]))
    assert f"Opportunity {row['key']} ({amount}) is still open" in en
    view = demo_run_zh.account(row["account_id"])
    assert f"商机 {row['key']}（{amount}）" in section_html(_sections(view)["overview"], view)
