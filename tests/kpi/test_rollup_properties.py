"""Property tests: the roll-up keeps totals and ratios honest for any data."""

import math

import numpy as np
import pandas as pd
import pytest
from builders import compute_results, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamreport.registry import KPIS

ADDITIVE = [k.id for k in KPIS if k.additive]
RATES = [
    "visit_compliance", "frequency_attainment", "coverage", "visit_success_rate",
    "fill_rate", "otif_rate", "win_rate", "forecast_accuracy", "promo_on_time_share",
]  # fmt: skip
# amounts as exports carry them: zero or at least a cent (no 1e-300 demand)
AMOUNT = st.one_of(st.just(0.0), st.floats(0.01, 3000))
QUARTERS = ["2025-08-15", "2026-02-15", "2026-05-15", "2026-07-01", "2026-08-22", "2026-09-30"]


@st.composite
def datasets(draw):
    n = draw(st.integers(2, 8))
    ids = [f"A{i}" for i in range(n)]
    acc = table(
        "accounts",
        account_id=ids,
        account_name=ids,
        region=draw(st.lists(st.sampled_from(["East", "South", "North"]), min_size=n, max_size=n)),
        owner=draw(st.lists(st.sampled_from(["Li", "Wang", "Chen", "Zhao"]), min_size=n, max_size=n)),
        group_id=draw(st.lists(st.sampled_from(["G1", "G2", None]), min_size=n, max_size=n)),
        status=draw(st.lists(st.sampled_from(["active", "active", "closed"]), min_size=n, max_size=n)),
    )
    m = draw(st.integers(1, 25))
    sales = table(
        "sales",
        date=draw(st.lists(st.sampled_from(QUARTERS), min_size=m, max_size=m)),
        account_id=draw(st.lists(st.sampled_from(ids), min_size=m, max_size=m)),
        revenue=draw(st.lists(st.floats(-50, 1000, allow_nan=False, allow_subnormal=False), min_size=m, max_size=m)),
        cost=draw(st.lists(st.one_of(st.none(), st.floats(0, 800, allow_subnormal=False)), min_size=m, max_size=m)),
        quantity=draw(st.lists(st.floats(-5, 50, allow_nan=False, allow_subnormal=False), min_size=m, max_size=m)),
    )
    v = draw(st.integers(0, 20))
    visits = table(
        "visits",
        date=draw(st.lists(st.sampled_from(QUARTERS[3:]), min_size=v, max_size=v)),
        account_id=draw(st.lists(st.sampled_from(ids), min_size=v, max_size=v)),
        rep=["R"] * v,
        planned=draw(st.lists(st.booleans(), min_size=v, max_size=v)),
        status=draw(st.lists(st.sampled_from(["completed", "cancelled", "missed"]), min_size=v, max_size=v)),
        successful=draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=v, max_size=v)),
    )
    o = draw(st.integers(0, 15))
    orders = table(
        "orders",
        order_id=[f"O{i}" for i in range(o)],
        line_no=[1] * o,
        account_id=draw(st.lists(st.sampled_from(ids), min_size=o, max_size=o)),
        order_date=draw(st.lists(st.sampled_from(QUARTERS[3:]), min_size=o, max_size=o)),
        qty_ordered=draw(st.lists(st.floats(0.5, 100, allow_subnormal=False), min_size=o, max_size=o)),
        qty_delivered=draw(st.lists(st.floats(0, 120, allow_subnormal=False), min_size=o, max_size=o)),
        requested_date=draw(st.lists(st.one_of(st.none(), st.sampled_from(QUARTERS[3:])), min_size=o, max_size=o)),
        delivered_date=draw(st.lists(st.sampled_from(QUARTERS[3:]), min_size=o, max_size=o)),
    )
    with_demand = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n))
    demand = table(
        "demand",
        period=["2026Q3"] * len(with_demand),
        account_id=with_demand,
        total_demand=draw(st.lists(AMOUNT, min_size=len(with_demand), max_size=len(with_demand))),
    )
    with_target = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n))
    targets = table(
        "targets",
        period=["2026Q3"] * len(with_target),
        account_id=with_target,
        revenue_target=draw(st.lists(AMOUNT, min_size=len(with_target), max_size=len(with_target))),
    )
    return {"accounts": acc, "sales": sales, "visits": visits, "orders": orders, "demand": demand, "targets": targets}


def _nansum(values: pd.Series) -> float:
    return float(values.sum(min_count=1))


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(
    max_examples=int(__import__("os").environ.get("KAM_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(datasets())
def test_rollup_properties(data):
    results = compute_results(**data)
    accounts = results.kpi_table("account")
    company = results.kpi_table("company").loc["all"]
    regions = results.kpi_table("region")
    owners = results.kpi_table("owner")

    for kpi in ADDITIVE:
        assert _close(company[kpi], _nansum(accounts[kpi])), kpi
        assert _close(company[kpi], _nansum(regions[kpi])), kpi
        assert _close(company[kpi], _nansum(owners[kpi])), kpi

    # ratios are Σ numerator / Σ denominator over the accounts, never an average
    def check(value, numerator, denominator):
        expected = numerator / denominator if denominator not in (0, 0.0) and not math.isnan(denominator) else math.nan
        assert _close(value, expected)

    check(company["attainment"], _nansum(accounts["revenue"]), _nansum(accounts["revenue_target"]))
    has_demand = accounts["demand"].notna()
    check(company["share_of_wallet"], accounts.loc[has_demand, "revenue"].sum(), _nansum(accounts["demand"]))
    check(
        company["fill_rate"], (accounts["fill_rate"] * accounts["qty_ordered"]).sum(), _nansum(accounts["qty_ordered"])
    )
    check(
        company["frequency_attainment"],
        (accounts["frequency_attainment"] * accounts["visits_required"]).sum(),
        _nansum(accounts["visits_required"]),
    )
    for region, row in regions.iterrows():
        members = results.accounts.loc[results.accounts["region"] == region, "account_id"]
        sub = accounts.loc[members]
        check(row["attainment"], _nansum(sub["revenue"]), _nansum(sub["revenue_target"]))

    every_level = pd.concat([accounts, regions, owners, company.to_frame().T])
    for kpi in RATES:
        values = every_level[kpi].dropna()
        assert ((values >= -1e-12) & (values <= 1 + 1e-12)).all(), kpi
    assert every_level["revenue"].notna().all()
    assert not np.isinf(every_level.select_dtypes("number").to_numpy(dtype=float)).any()
    ordered = every_level["qty_ordered"] > 0
    assert every_level.loc[ordered, "fill_rate"].notna().all()
    demand = every_level["demand"] > 0
    assert every_level.loc[demand, "share_of_wallet"].notna().all()


@pytest.mark.parametrize("level", ["owner", "group", "region"])
def test_every_level_has_every_kpi(level):
    acc = table(
        "accounts",
        account_id=["A1", "A2"],
        account_name=["a", "b"],
        region=["East", "South"],
        owner=["Li", "Wang"],
        group_id=["G1", "G1"],
    )
    sales = table("sales", date=["2026-07-01", "2026-07-01"], account_id=["A1", "A2"], revenue=[1.0, 2.0])
    table_ = compute_results(accounts=acc, sales=sales).kpi_table(level)
    assert list(table_.columns) == [k.id for k in KPIS]
    assert table_["revenue"].sum() == 3.0
