"""Exceptions ranked by money at stake, and what a report of a given scope keeps of them."""

import numpy as np
import pandas as pd
import pytest

from kamreport.planning.exceptions import EXCEPTION_FIGURES, EXCEPTION_KINDS, exceptions, in_scope


def _plan():
    return pd.DataFrame(
        {
            "account_name": ["Big", "Small", "Mid"],
            "region": ["East", "East", "South"],
            "owner": ["Li", "Li", "Wang"],
            "group_id": ["G1", None, None],
            "key_account": [True, False, True],
        },
        index=pd.Index(["A1", "A2", "A3"], name="account_id"),
    )


def _kpis():
    return pd.DataFrame(
        {
            "share_change_pp": [-2.0, -30.0, 1.0],
            "demand": [1_000_000.0, 100.0, 50_000.0],
            "share_of_wallet": [0.5, 0.2, 0.3],
            "share_of_wallet_py": [0.52, 0.5, 0.29],
            "revenue": [500_000.0, 20.0, 0.0],
            "revenue_py": [600_000.0, 2_000.0, 10_000.0],
            "growth_yoy": [-1 / 6, -0.99, -1.0],
            "unfilled_value": [0.0, 140.0, 9_000.0],
            "fill_rate": [1.0, 0.3, 0.8],
            "qty_ordered": [100.0, 10.0, 500.0],
            "qty_unfilled": [0.0, 7.0, 100.0],
            "unit_price": [5.0, 20.0, 90.0],
            "ar_overdue": [0.0, 0.0, 30_000.0],
            "overdue_ratio": [0.0, 0.0, 0.6],
            "ar_aging_over_90": [0.0, 0.0, 10_000.0],
            "dso_days": [40.0, np.nan, np.nan],
            "visits_required": [12.0, 2.0, 6.0],
            "visits_completed": [3.0, 0.0, 0.0],
        },
        index=_plan().index,
    )


def test_amounts_at_stake_by_kind():
    frame = exceptions(_plan(), _kpis())
    amounts = {(row.kind, row.account_id): row.amount for row in frame.itertuples()}
    assert amounts == pytest.approx(
        {
            ("share_lost", "A1"): 0.02 * 1_000_000,  # two points of a large wallet
            ("share_lost", "A2"): 0.30 * 100,  # thirty points of a tiny one
            ("revenue_falling", "A1"): 100_000,
            ("revenue_falling", "A3"): 10_000,
            ("revenue_falling", "A2"): 1_980,
            ("fill_rate_miss", "A3"): 9_000,
            ("fill_rate_miss", "A2"): 140,
            ("overdue_receivables", "A3"): 30_000,
        }
    )  # A3, a key account not visited, has no revenue at stake
    # kinds in order, largest amount first within each
    assert frame["kind"].drop_duplicates().tolist() == [k for k in EXCEPTION_KINDS if k != "key_not_visited"]
    assert frame[frame["kind"] == "revenue_falling"]["account_id"].tolist() == ["A1", "A3", "A2"]
    for kind, figures in EXCEPTION_FIGURES.items():
        assert set(figures) <= set(frame.columns), kind
    assert frame.loc[frame["account_id"] == "A1", "group_id"].iloc[0] == "G1"


def test_a_key_account_not_visited_is_at_stake_for_its_revenue():
    kpis = _kpis()
    kpis.loc["A1", "visits_completed"] = 0.0
    frame = exceptions(_plan(), kpis)
    rows = frame[frame["kind"] == "key_not_visited"]
    assert rows["account_id"].tolist() == ["A1"] and rows["amount"].tolist() == [500_000.0]  # A2 is not key
    assert exceptions(_plan(), kpis, has_visits=False).query("kind == 'key_not_visited'").empty


def test_a_report_keeps_its_own_material_exceptions():
    frame = exceptions(_plan(), _kpis())
    # East's quarterly revenue 500,020: 0.5 % is 2,500.1 — the small account (2,000 a year ago,
    # 20 now) drops out with its 30 points of share, however many points those are
    east = in_scope(frame, pd.Index(["A1", "A2"]), 500_020.0, 0.005)
    assert list(zip(east["kind"], east["account_id"], strict=True)) == [
        ("share_lost", "A1"),
        ("revenue_falling", "A1"),
    ]
    # A3 sells nothing now but 10,000 a year ago: material, and its 140-unit miss is listed
    company = in_scope(frame, pd.Index(["A1", "A2", "A3"]), 500_020.0, 0.005)
    assert ("fill_rate_miss", "A3") in set(zip(company["kind"], company["account_id"], strict=True))
    assert "A2" not in set(company["account_id"])
    assert in_scope(frame, pd.Index(["A1", "A3"]), 500_020.0, 0.005, per_kind=1).groupby("kind").size().max() == 1
    assert len(in_scope(frame, pd.Index(["A2"]), float("nan"), 0.005)) == 3  # no revenue: no threshold
