"""docs/kpis.md "Worked example", figure by figure."""

import pytest
from builders import account_kpis, accounts, compute_results, table


def _tables(demand_p: float = 150_000):
    return {
        "accounts": accounts("K1"),
        "sales": table(
            "sales",
            date=["2026-08-10", "2025-08-10", "2026-05-10", "2026-02-10"],
            account_id=["K1"] * 4,
            revenue=[120_000, 100_000, 110_000, 90_000],
            cost=[84_000, None, None, None],
        ),
        "demand": table(
            "demand", period=["2026Q3", "2025Q3"], account_id=["K1", "K1"], total_demand=[demand_p, 125_000]
        ),
        "targets": table("targets", period=["2026Q3"], account_id=["K1"], revenue_target=[125_000]),
        "spend": table("spend", date=["2026-07-05"], account_id=["K1"], amount=[6_000], spend_type=["fixed_fee"]),
    }


def test_worked_example_maintain():
    results = compute_results(**_tables())
    k = account_kpis(results)
    assert k["attainment"] == pytest.approx(0.96)
    assert k["growth_yoy"] == pytest.approx(0.20)
    assert k["growth_qoq"] == pytest.approx(120_000 / 110_000 - 1)
    assert k["share_of_wallet"] == pytest.approx(0.80)
    assert k["share_of_wallet_py"] == pytest.approx(0.80)
    assert k["share_change_pp"] == pytest.approx(0.0)
    assert k["demand_growth_yoy"] == pytest.approx(0.20)
    assert k["growth_gap_pp"] == pytest.approx(0.0, abs=1e-9)
    assert k["gross_profit"] == pytest.approx(36_000)
    assert k["gross_margin"] == pytest.approx(0.30)
    assert k["contribution"] == pytest.approx(30_000)
    assert k["spend_efficiency"] == pytest.approx(2_000)
    plan = results.accounts.set_index("account_id").loc["K1"]
    assert plan["position"] == "maintain"
    assert plan["base"] == pytest.approx(111_000)
    assert plan["target_nq"] == pytest.approx(116_550)


def test_worked_example_attack():
    results = compute_results(**_tables(demand_p=400_000))
    k = account_kpis(results)
    assert k["share_of_wallet"] == pytest.approx(0.30)
    plan = results.accounts.set_index("account_id").loc["K1"]
    assert plan["position"] == "attack"
    assert plan["target_nq"] == pytest.approx(123_250)
