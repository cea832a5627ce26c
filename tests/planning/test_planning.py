"""Account planning (docs/kpis.md, "Account planning") on hand-built inputs, boundary by boundary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from builders import accounts, compute_results, table

from kamreport.params import FunnelParams, KeyAccountParams, OpportunityParams, PositionParams, TargetParams, TierParams
from kamreport.planning import actions, funnel, opportunities, positioning, review, targets, tiers


def test_pareto_ranking_with_ties_and_a_zero_revenue_account():
    revenue = pd.Series({"B": 300.0, "A": 300.0, "C": 250.0, "D": 100.0, "E": 50.0, "Z": 0.0, "N": -20.0})
    ranked = tiers.assign_tiers(revenue, TierParams())
    # ties broken by account_id: A before B; total positive revenue 1,000
    assert ranked.loc[["A", "B", "C", "D", "E"], "rank"].tolist() == [1, 2, 3, 4, 5]
    assert ranked.loc[["A", "B", "C", "D", "E"], "cum_before"].tolist() == pytest.approx([0.0, 0.3, 0.6, 0.85, 0.95])
    assert ranked["tier"].to_dict() == {"B": "A", "A": "A", "C": "B", "D": "C", "E": "C", "Z": "C", "N": "C"}
    assert pd.isna(ranked.loc["Z", "rank"]) and pd.isna(ranked.loc["N", "rank"])


def test_tier_scope_region_ranks_within_each_region():
    revenue = pd.Series({"A": 900.0, "B": 100.0, "C": 10.0})
    region = pd.Series({"A": "East", "B": "South", "C": "South"})
    ranked = tiers.assign_tiers(revenue, TierParams(scope="region"), region)
    assert ranked["tier"].to_dict() == {"A": "A", "B": "A", "C": "C"}


@pytest.mark.parametrize(
    ("share", "change", "expected"),
    [
        (0.70, 0.0, "maintain"),  # exactly 0.70
        (0.70, -5.0, "defend"),  # Δ exactly −5 is not above −5
        (0.75, 100 * (0.75 - 0.80), "defend"),  # −5 computed in floating point
        (0.80, -4.99, "maintain"),
        (0.90, np.nan, "maintain"),  # Δ missing
        (0.6999, 0.0, "defend"),
        (0.40, -20.0, "defend"),  # exactly 0.40
        (0.3999, 3.0, "attack"),
        (np.nan, 0.0, "unknown"),
    ],
)
def test_position_boundaries(share, change, expected):
    result = positioning.position(pd.Series([share]), pd.Series([change]), PositionParams())
    assert result.iloc[0] == expected


def test_movement_matrix():
    before = pd.Series(["maintain", "defend", "attack", "unknown"], index=list("abcd"))
    after = pd.Series(["defend", "defend", "defend", "unknown"], index=list("abcd"))
    matrix = positioning.movement_matrix(before, after)
    assert matrix.loc["maintain", "defend"] == 1 and matrix.loc["attack", "defend"] == 1
    assert int(matrix.to_numpy().sum()) == 4


def test_both_target_formulas_and_reconciliation():
    revenue = pd.DataFrame(
        {"p": [120_000.0, 120_000.0, 50.0], "pq": [110_000.0, 110_000.0, 50.0], "p2": [90_000.0, 90_000.0, 50.0]},
        index=["M", "A", "X"],
    )
    position = pd.Series(["maintain", "attack", "defend"], index=revenue.index)
    demand = pd.Series([150_000.0, 400_000.0, 100.0], index=revenue.index)
    region = pd.Series(["East", "East", "South"], index=revenue.index)
    closed = pd.Series([False, False, True], index=revenue.index)
    params = TargetParams(market_growth_by_region={"South": 0.10})
    plan = targets.decompose(revenue, position, demand, region, closed, params)
    assert plan.loc["M", "base"] == pytest.approx(111_000)
    assert plan.loc["M", "target_nq"] == pytest.approx(116_550)
    assert plan.loc["A", "target_nq"] == pytest.approx(123_250)
    assert plan.loc["X", "target_nq"] == 0  # closed
    reconciled = targets.decompose(
        revenue, position, demand, region, closed, params.model_copy(update={"company_target_nq": 300_000})
    )
    assert reconciled["target_nq_reconciled"].sum() == pytest.approx(300_000)
    assert reconciled.loc["M", "target_nq_reconciled"] == pytest.approx(116_550 * 300_000 / (116_550 + 123_250))
    assert plan.loc["M", "market_growth"] == 0.05 and math.isnan(plan.loc["A", "market_growth"])


def test_per_region_market_growth():
    revenue = pd.DataFrame({"p": [100.0], "pq": [100.0], "p2": [100.0]}, index=["S"])
    plan = targets.decompose(
        revenue, pd.Series(["defend"], index=["S"]), pd.Series([500.0], index=["S"]), pd.Series(["South"], index=["S"]),
        pd.Series([False], index=["S"]), TargetParams(market_growth_by_region={"South": 0.10}),
    )  # fmt: skip
    assert plan.loc["S", "target_nq"] == pytest.approx(110.0)


def test_twenty_answer_score_with_missing_answers():
    answers = {f"q{i:02d}": [True] for i in range(1, 21)}
    answers["q03"] = [None]  # missing: counts 0 and is reported
    answers["q07"] = [False]
    answers["q16"] = [None]
    opps = table(
        "opportunities",
        opportunity_id=["O1"],
        account_id=["A"],
        owner=["Li"],
        stage=[3],
        amount=[1000.0],
        status=["open"],
        **answers,
    )
    scored = opportunities.score(opps, OpportunityParams(), FunnelParams()).iloc[0]
    assert scored["score"] == 17
    assert (scored["score_opportunity"], scored["score_compete"], scored["score_win"], scored["score_worth"]) == (
        4,
        4,
        5,
        4,
    )
    assert scored["answers_missing"] == 2
    assert bool(scored["high_value"]) is True
    assert scored["weighted_amount"] == pytest.approx(200.0)
    exactly_ten = opps.assign(**{f"q{i:02d}": [i <= 10] for i in range(1, 21)})
    assert bool(opportunities.score(exactly_ten, OpportunityParams(), FunnelParams()).iloc[0]["high_value"]) is False


@pytest.mark.parametrize(
    ("health", "status"), [(1.00, "excellent"), (0.9999, "good"), (0.70, "good"), (0.6999, "warning")]
)
def test_funnel_health_boundaries(health, status):
    assert funnel.health_status(pd.Series([health]), FunnelParams()).iloc[0] == status


def test_each_opportunity_counted_once_at_every_level():
    acc = accounts(
        "A1", "A2", "A3", region=["East", "East", "South"], owner=["Li", "Wang", "Li"], group_id=["G", None, "G"]
    )
    opps = table(
        "opportunities",
        opportunity_id=["O1", "O2", "O3", "O4"],
        account_id=["A1", "A2", "A3", "A3"],
        owner=["Li", "Wang", "Zhao", "Li"],  # O3 sits on Li's account but is Zhao's
        stage=[2, 2, 5, 2],
        amount=[100.0, 200.0, 300.0, 400.0],
        status=["open", "open", "open", "won"],
    )
    scored = opportunities.score(opps, OpportunityParams(), FunnelParams())
    target = {level: pd.Series(dtype="float64") for level in ("account", "owner", "group", "region", "company")}
    frame = funnel.funnel_health(scored, acc, target, FunnelParams())
    stage2 = frame[frame["stage"] == 2].set_index(["level", "key"])
    assert stage2.loc[("company", "all"), "count"] == 2 and stage2.loc[("company", "all"), "amount"] == 300
    assert stage2.loc[("region", "East"), "amount"] == 300 and stage2.loc[("region", "South"), "amount"] == 0
    assert stage2.loc[("owner", "Li"), "amount"] == 100 and stage2.loc[("owner", "Wang"), "amount"] == 200
    assert stage2.loc[("group", "G"), "amount"] == 100
    stage5 = frame[frame["stage"] == 5].set_index(["level", "key"])
    assert stage5.loc[("owner", "Zhao"), "amount"] == 300 and stage5.loc[("owner", "Li"), "amount"] == 0
    assert stage5.loc[("account", "A3"), "amount"] == 300
    for level in ("account", "owner", "region"):
        assert (
            frame[frame["level"] == level]
            .groupby("stage")["amount"]
            .sum()
            .equals(frame[frame["level"] == "company"].set_index("stage")["amount"])
        )


def test_benchmarks_from_ratios_or_explicit_amounts():
    acc = accounts("A1")
    opps = table(
        "opportunities",
        opportunity_id=["O1"],
        account_id=["A1"],
        owner=["Li"],
        stage=[1],
        amount=[300.0],
        status=["open"],
    )
    scored = opportunities.score(opps, OpportunityParams(), FunnelParams())
    nq = {"company": pd.Series({"all": 1000.0}), "account": pd.Series({"A1": 1000.0})}
    params = FunnelParams(coverage_ratios={1: 0.3}, benchmark_amounts={"company": {1: 600.0}})
    frame = funnel.funnel_health(scored, acc, nq, params).set_index(["level", "key", "stage"])
    assert frame.loc[("account", "A1", 1), "benchmark"] == pytest.approx(300.0)
    assert frame.loc[("account", "A1", 1), "status"] == "excellent"
    assert frame.loc[("company", "all", 1), "benchmark"] == 600.0
    assert frame.loc[("company", "all", 1), "health"] == pytest.approx(0.5)
    assert frame.loc[("company", "all", 1), "status"] == "warning"


def test_key_accounts_review_and_priority():
    tier = pd.Series({"A": "A", "B": "B", "C": "C", "D": "C", "X": "A"})
    potential = pd.Series({"A": 10.0, "B": 80_000.0, "C": 60_000.0, "D": np.nan, "X": 1e6})
    closed = pd.Series({"A": False, "B": False, "C": False, "D": False, "X": True})
    key = review.key_accounts(tier, potential, closed, KeyAccountParams())
    assert key.to_dict() == {"A": True, "B": True, "C": True, "D": False, "X": False}
    before = pd.Series({"A": True, "B": False, "C": True, "D": True, "X": True})
    assert review.review(key, before).to_dict() == {
        "A": "kept",
        "B": "added",
        "C": "kept",
        "D": "dropped",
        "X": "dropped",
    }
    competitor = pd.Series({"A": "local", "B": "TW", "C": "JP", "D": "JP", "X": "JP"})
    priority = review.attack_priority(key, competitor, potential, ["JP", "TW"])
    assert priority.dropna().to_dict() == {"C": 1, "B": 2, "A": 3}


def test_actions_come_from_rules_in_params():
    from kamreport.params import ActionRule

    plan = pd.DataFrame(
        {
            "share_change_pp": [-8.25, 1.0],
            "fill_rate": [0.95, 0.5],
            "position": ["defend", "attack"],
            "revenue": [100.0, 300.0],
        },
        index=["K1", "K2"],
    )
    rules = [
        ActionRule(
            id="loss",
            when="share_change_pp < -5",
            en="Share {share_change_pp:+.1f} pp: defend",
            zh="份额 {share_change_pp:+.1f}",
        ),
        ActionRule(
            id="supply",
            when="fill_rate < 0.9 and position == 'attack'",
            en="Fill {fill_rate:.0%}",
            zh="满足率 {fill_rate:.0%}",
        ),
    ]
    result = actions.recommend(plan, rules)
    # ranked by the money at stake, by default the account's revenue: K2 (300) before K1 (100)
    assert result[["account_id", "rule", "amount", "en", "zh"]].values.tolist() == [
        ["K2", "supply", 300.0, "Fill 50%", "满足率 50%"],
        ["K1", "loss", 100.0, "Share -8.2 pp: defend", "份额 -8.2"],
    ]
    from kamreport.errors import ParamsError

    with pytest.raises(ParamsError, match="plain name"):
        actions.fill("{share_change_pp.__class__}", plan.iloc[0])


def test_a_rule_reading_an_unknown_name_fails_when_the_params_load(tmp_path):
    """A typo in a rule is refused at load, naming the rule, the name and the closest KPI id."""
    from kamreport.errors import ParamsError
    from kamreport.params import load_params, parse_params

    path = tmp_path / "p.yaml"
    path.write_text(
        "period: 2026Q3\nplanning:\n  actions:\n"
        "    - {id: bad, when: 'fill_rat < 0.9', en: 'x {attainmnt:.0%}', zh: 'x'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParamsError) as info:
        load_params(path)
    message = str(info.value)
    assert "rule 'bad'" in message and str(path) in message
    assert "unknown name 'fill_rat'; did you mean 'fill_rate'?" in message
    assert "unknown name 'attainmnt'; did you mean 'attainment'?" in message
    with pytest.raises(ParamsError, match="cannot read expression"):
        parse_params({"period": "2026Q3", "planning": {"actions": [{"id": "r", "when": "x <", "en": "x", "zh": "x"}]}})


def test_on_the_demo_data_everything_the_review_needs_occurs(demo_run):
    plan = demo_run.accounts
    assert {"maintain", "defend", "attack"} <= set(plan["position"])
    assert (plan["position"] != plan["position_pq"]).any()
    assert {"added", "dropped"} <= set(plan["review"].dropna())
    assert {"excellent", "good", "warning"} <= set(demo_run.data.results.funnel["status"].dropna())
    assert len(demo_run.data.results.actions)


def test_hand_built_run_has_the_declared_plan_columns():
    """The plan has exactly the columns the registry declares (the names action rules may read)."""
    from kamreport.registry import ACCOUNTS_CSV_COLUMNS, PLAN_COLUMNS

    results = compute_results(
        accounts=accounts("K1"), sales=table("sales", date=["2026-07-01"], account_id=["K1"], revenue=[10.0])
    )
    assert set(ACCOUNTS_CSV_COLUMNS) <= set(results.accounts.columns)
    assert set(results.accounts.columns) == {"account_id", *PLAN_COLUMNS}
