"""The action rules by scope: each new default rule firing on a hand-made case, names checked at load."""

import numpy as np
import pandas as pd
import pytest
from builders import accounts, compute_results, table

from kamreport.errors import ParamsError
from kamreport.params import default_actions, parse_params
from kamreport.planning import actions, review


def _rules(*ids):
    return [rule for rule in default_actions() if rule.id in ids]


def test_revenue_decline_fires_on_a_material_account_down_ten_percent_or_more():
    plan = pd.DataFrame(
        {
            "growth_yoy": [-0.16, -0.10, -0.09, -0.50],
            "material": [True, True, True, False],
            "revenue": [840_000.0, 90.0, 91.0, 5.0],
            "revenue_py": [1_000_000.0, 100.0, 100.0, 10.0],
        },
        index=["TierA", "Edge", "Mild", "Tiny"],
    )
    result = actions.recommend(plan, _rules("revenue_decline"))
    assert result["account_id"].tolist() == ["TierA", "Edge"]  # −10 % exactly fires; immaterial never
    assert result["amount"].tolist() == [160_000.0, 10.0]
    assert result["en"].iloc[0].startswith("Revenue is -16% on last year (1,000,000 → 840,000).")
    assert "840,000" in result["zh"].iloc[0]


def test_demand_missing_asks_for_a_demand_estimate():
    plan = pd.DataFrame({"position": ["unknown", "attack"], "revenue": [5.0, 9.0]}, index=["K1", "K2"])
    result = actions.recommend(plan, _rules("demand_missing"))
    assert result["account_id"].tolist() == ["K1"]
    assert "Collect a demand estimate" in result["en"].iloc[0] and "收集" in result["zh"].iloc[0]


def test_group_owners_fires_on_a_group_with_more_than_one_manager():
    groups = pd.DataFrame(
        {"account_managers": [3.0, 1.0], "sites": [5.0, 2.0], "revenue": [100.0, 50.0]},
        index=pd.Index(["G1", "G2"], name="group_id"),
    )
    result = actions.recommend({"group": groups}, _rules("group_owners"))
    assert result[["scope", "key", "group_id", "amount"]].values.tolist() == [["group", "G1", "G1", 100.0]]
    assert pd.isna(result["account_id"].iloc[0])
    assert result["en"].iloc[0].startswith("This group customer is served by 3 account managers across 5 sites.")


def test_opportunity_overdue_fires_on_open_opportunities_past_their_expected_close():
    opps = pd.DataFrame(
        {
            "status": ["open", "open", "won", "open"],
            "days_overdue": [10.0, -5.0, 30.0, np.nan],
            "amount": [1_000.0, 2_000.0, 3_000.0, 4_000.0],
            "account_id": ["A1", "A1", "A2", "A2"],
            "expected_close": ["2026-09-20", "2026-10-05", "2026-08-31", None],
        },
        index=pd.Index(["O1", "O2", "O3", "O4"], name="opportunity_id"),
    )
    result = actions.recommend({"opportunity": opps}, _rules("opportunity_overdue"), currency="¥")
    assert result[["key", "account_id", "amount"]].values.tolist() == [["O1", "A1", 1_000.0]]
    # the amount is written as the reports write money: the currency first (report.currency)
    assert "O1 (¥1,000) is still open 10 days after its expected close (2026-09-20)" in result["en"].iloc[0]
    assert "商机 O1（¥1,000）" in result["zh"].iloc[0]


def test_the_run_feeds_every_scope_and_ranks_by_money():
    accts = accounts("A1", "A2", "A3", owner=["Li", "Wang", "Li"], group_id=["G1", "G1", None])
    sales = table(
        "sales",
        date=["2025-08-01", "2026-08-01", "2026-08-01", "2026-08-01"],
        account_id=["A1", "A1", "A2", "A3"],
        revenue=[1_000_000.0, 800_000.0, 150_000.0, 1_000.0],
    )
    opps = table(
        "opportunities",
        opportunity_id=["O1", "O2"],
        account_id=["A1", "A2"],
        owner=["Li", "Wang"],
        stage=[3, 4],
        amount=[5_000.0, 7_000.0],
        status=["open", "open"],
        expected_close=["2026-09-01", "2026-12-01"],
    )
    results = compute_results(accounts=accts, sales=sales, opportunities=opps)
    plan = results.accounts.set_index("account_id")
    assert plan["material"].to_dict() == {"A1": True, "A2": True, "A3": False}  # 0.5 % of 951,000 is 4,755
    fired = results.actions
    assert set(zip(fired["scope"], fired["rule"], fired["key"], strict=True)) >= {
        ("account", "revenue_decline", "A1"),  # −20 % on a material account
        ("account", "demand_missing", "A1"),  # no demand table: position unknown
        ("group", "group_owners", "G1"),  # Li and Wang
        ("opportunity", "opportunity_overdue", "O1"),  # 29 days past 2026-09-01 at 2026-09-30
    }
    assert "O2" not in set(fired["key"])
    assert fired["amount"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("rule", "hint"),
    [
        ({"scope": "group", "when": "position == 'attack'"}, "unknown name 'position'"),
        ({"scope": "opportunity", "when": "revenue > 0"}, "unknown name 'revenue'"),
        ({"scope": "opportunity", "when": "days_overdue > 0", "amount": "amont"}, "did you mean 'amount'?"),
        ({"scope": "account", "when": "sites > 1"}, "unknown name 'sites'"),
    ],
)
def test_rule_names_are_checked_per_scope_when_the_params_load(rule, hint):
    doc = {"period": "2026Q3", "planning": {"actions": [{"id": "r", "en": "x", "zh": "x", **rule}]}}
    with pytest.raises(ParamsError) as info:
        parse_params(doc)
    assert hint in str(info.value) and f"({rule['scope']} scope)" in str(info.value)


def test_attack_priority_within_each_region_and_only_for_attack_key_accounts():
    index = ["E1", "E2", "E3", "S1", "S2"]
    key = pd.Series([True, True, True, True, False], index=index)
    position = pd.Series(["attack", "attack", "defend", "attack", "attack"], index=index)
    competitor = pd.Series(["TW", "JP", "JP", "local", "JP"], index=index)
    potential = pd.Series([10.0, 5.0, 99.0, 1.0, 50.0], index=index)
    region = pd.Series(["East", "East", "East", "South", "South"], index=index)
    attack = key & (position == "attack")
    by_region = review.attack_priority(attack, competitor, potential, ["JP", "TW"], region)
    assert by_region.dropna().to_dict() == {"E1": 2, "E2": 1, "S1": 1}  # E3 defends, S2 is not key
    company = review.attack_priority(attack, competitor, potential, ["JP", "TW"])
    assert company.dropna().to_dict() == {"E2": 1, "E1": 2, "S1": 3}
