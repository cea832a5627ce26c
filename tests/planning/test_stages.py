"""Relationship stage and planning level from the rules in params (issue 17 §5)."""

import pandas as pd
import pytest
from builders import params

from kamreport.errors import ParamsError
from kamreport.params import parse_params
from kamreport.periods import Quarter
from kamreport.planning.stages import action_counts, classify, history_quarters


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tier": ["A", "A", "B", "B", "A", "C", "A"],
            "position": ["maintain", "maintain", "defend", "attack", "attack", "maintain", None],
            "key_account": [True, True, True, True, True, False, True],
            "history_quarters": [8.0, 5.0, 12.0, 12.0, 12.0, 12.0, 12.0],
        },
        index=pd.Index([f"A{i}" for i in range(1, 8)], name="account_id"),
    )


def test_default_relationship_stages():
    rules = params().planning.relationship
    stage = classify(_rows(), rules.stages, rules.stage_otherwise)
    # strategic: tier A, maintain, ≥ 8 quarters; value: other key accounts in maintain or defend; else transactional
    assert stage.tolist() == ["strategic", "value", "value", "transactional", "transactional", "transactional",
                              "transactional"]  # fmt: skip


def test_default_planning_levels():
    rules = params().planning.relationship
    rows = _rows()
    rows["relationship_stage"] = classify(rows, rules.stages, rules.stage_otherwise)
    rows["action_count"] = [0.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0]
    level = classify(rows, rules.levels, rules.level_otherwise)
    # partner: strategic stage; strategic: tier A in attack or defend; issue-driven: any other with an action
    assert level.tolist() == [
        "partner",
        "reactive",
        "issue_driven",
        "reactive",
        "strategic",
        "issue_driven",
        "reactive",
    ]


def test_rules_are_params_and_a_typo_is_refused():
    own = params(
        planning={"relationship": {"stages": [{"value": "big", "when": "revenue > 500"}], "stage_otherwise": "small"}}
    )
    rows = pd.DataFrame({"revenue": [600.0, 100.0]})
    assert classify(rows, own.planning.relationship.stages, own.planning.relationship.stage_otherwise).tolist() == [
        "big",
        "small",
    ]
    with pytest.raises(ParamsError, match="revenu"):
        parse_params(
            {"period": "2026Q3", "planning": {"relationship": {"stages": [{"value": "x", "when": "revenu > 1"}]}}}
        )
    with pytest.raises(ParamsError, match="action_count"):  # only a level rule reads how many actions there are
        parse_params(
            {"period": "2026Q3", "planning": {"relationship": {"stages": [{"value": "x", "when": "action_count > 1"}]}}}
        )


def test_history_quarters_count_from_the_first_sales_line():
    sales = pd.DataFrame({"account_id": ["A1", "A1", "A2"], "quarter": ["2024Q4", "2026Q3", "2026Q3"]})
    ids = pd.Index(["A1", "A2", "A3"], name="account_id")
    counted = history_quarters(sales, ids, Quarter.parse("2026Q3"))
    assert counted.tolist() == [8.0, 1.0, 0.0]


def test_action_counts_per_account():
    actions = pd.DataFrame({"account_id": ["A1", "A1", None, "A2"], "group_id": [None, None, "G1", None]})
    assert action_counts(actions, pd.Index(["A1", "A2", "A3"])).tolist() == [2.0, 1.0, 0.0]


def test_stage_and_level_in_the_planning_table(demo_computed):
    plan = demo_computed.results.accounts
    assert set(plan["relationship_stage"]) <= {"strategic", "value", "transactional"}
    key = plan[plan["key_account"]]
    strategic = key[key["relationship_stage"] == "strategic"]
    assert len(strategic) and (strategic["tier"] == "A").all() and (strategic["position"] == "maintain").all()
    assert (strategic["history_quarters"] >= 8).all() and (strategic["planning_level"] == "partner").all()
