"""A ratio over a small base is not meaningful: shown as such, kept exact in the exports."""

import pandas as pd

from kamreport.params import KpiParams
from kamreport.registry import KPI_BY_ID, KPIS, is_meaningful, meaningful, min_base


def test_every_declared_base_is_an_amount_or_a_quantity():
    for kpi in KPIS:
        if kpi.base is not None:
            assert KPI_BY_ID[kpi.base].unit in ("amount", "quantity"), kpi.id
    assert KPI_BY_ID["growth_yoy"].base == "revenue_py"
    assert KPI_BY_ID["contribution_margin"].base == "revenue"
    assert KPI_BY_ID["fill_rate"].base == "qty_ordered"


def test_values_over_a_small_base_are_not_meaningful():
    params = KpiParams()
    table = pd.DataFrame(
        {
            "revenue": [900.0, 50_000.0, 20_000.0],
            "revenue_py": [21.0, 10_000.0, None],
            "growth_yoy": [41.94, 4.0, None],
            "contribution_margin": [-2.84, 0.1, 0.2],
            "qty_ordered": [7.0, 50.0, 49.9],
            "fill_rate": [0.5, 0.9, 0.8],
            "coverage": [0.1, 0.2, 0.3],
        },
        index=["small", "large", "mixed"],
    )
    mask = meaningful(table, params)
    assert mask.loc["small"].to_dict() == {
        "revenue": True,
        "revenue_py": True,
        "growth_yoy": False,  # 4,194 % over 21 of revenue last year
        "contribution_margin": False,  # −284 % on 900 of revenue
        "qty_ordered": True,
        "fill_rate": False,
        "coverage": True,  # no base
    }
    assert mask.loc["large"].all()  # exactly the minimum is meaningful
    assert mask.loc["mixed", "growth_yoy"]  # missing stays missing, not "not meaningful"
    assert not mask.loc["mixed", "fill_rate"]
    assert min_base("growth_yoy", params) == 10_000 and min_base("fill_rate", params) == 50
    assert min_base("coverage", params) is None
    assert not is_meaningful("growth_yoy", table.loc["small"], params)
    assert is_meaningful("growth_yoy", table.loc["large"], params)
    # one value at a time reads only the KPI and its base, and agrees with the whole table's mask
    assert is_meaningful("growth_yoy", table.loc["mixed"], params)  # missing stays missing
    assert not is_meaningful("fill_rate", table.loc["mixed"], params)  # 49.9 units ordered < 50
    assert is_meaningful("fill_rate", table.loc["small"].drop("qty_ordered"), params)  # no base: shown
    assert is_meaningful("not_a_kpi", table.loc["small"], params)
    for key in table.index:
        assert {k: is_meaningful(k, table.loc[key], params) for k in table.columns} == mask.loc[key].to_dict()
    lenient = KpiParams(min_base_revenue=10, min_base_units=5)
    assert meaningful(table, lenient).loc["small"].all()


def test_spend_ratios_have_their_own_minimum_base():
    """Revenue per 100 spend over 1,500 of spend is shown (100 × 60,000 / 1,500 = 4,000); over 400 it is not."""
    params = KpiParams()
    assert params.min_base_spend == 1_000 and min_base("spend_efficiency", params) == 1_000
    assert min_base("volume_per_100_spend", params) == 1_000 and min_base("gross_margin", params) == 10_000
    table = pd.DataFrame(
        {
            "revenue": [60_000.0, 60_000.0],
            "trade_spend": [1_500.0, 400.0],
            "spend_efficiency": [4_000.0, 15_000.0],
            "volume_per_100_spend": [200.0, 750.0],
        },
        index=["spends", "spends_little"],
    )
    mask = meaningful(table, params)
    assert mask.loc["spends"].all()  # 1,500 of spend is under min_base_revenue, over min_base_spend
    assert not mask.loc["spends_little", "spend_efficiency"] and not mask.loc["spends_little", "volume_per_100_spend"]
    assert meaningful(table, KpiParams(min_base_spend=300)).loc["spends_little"].all()
