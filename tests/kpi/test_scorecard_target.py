"""The scorecard's Target column: the target where one is set, else the green threshold, marked as such."""

import numpy as np
import pandas as pd
import pytest

from kamreport.kpi.series import scorecard
from kamreport.params import Rag
from kamreport.periods import Quarter


def _table() -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(
        [("2026Q3", "region", "East"), ("2025Q3", "region", "East")], names=["period", "level", "key"]
    )
    values = {
        "revenue": [1_000.0, 800.0],
        "revenue_target": [1_250.0, np.nan],
        "attainment": [0.8, np.nan],
        "revenue_py": [800.0, np.nan],
        "growth_yoy": [0.25, np.nan],
        "share_of_wallet": [0.30, 0.32],
        "share_of_wallet_target": [0.40, np.nan],  # a target: shown as it is
        "share_change_pp": [-2.0, np.nan],
        "frequency_attainment": [0.75, 0.70],
        "frequency_attainment_target": [np.nan, np.nan],  # none: the green threshold stands in
        "gross_margin": [0.28, 0.30],
        "gross_margin_target": [np.nan, np.nan],
        "fill_rate": [0.97, 0.96],
        "fill_rate_target": [0.99, np.nan],
    }
    return pd.DataFrame(values, index=index)


def test_target_where_set_else_the_green_threshold_marked():
    keys = {"region": pd.Series(["East"], index=["A1"])}
    rag = {"frequency_attainment": Rag(green=0.9, amber=0.7), "gross_margin": Rag(green=0.30, amber=0.25)}
    card = scorecard(_table(), keys, Quarter.parse("2026Q3"), rag).set_index("indicator")
    assert card.loc["sales", ["target", "target_basis", "vs_target"]].tolist() == [1_250.0, "target", 0.8]
    share = card.loc["share"]
    assert (share["target"], share["target_basis"], share["target_unit"]) == (0.40, "target", "share")
    assert share["vs_target"] == pytest.approx(-10.0)  # 30 % against 40 %: ten points short
    execution = card.loc["execution"]
    assert (execution["target"], execution["target_basis"]) == (0.9, "threshold")
    assert execution["vs_target"] == pytest.approx(-15.0)  # 75 % against the green 90 %
    profit = card.loc["profit"]
    assert (profit["target"], profit["target_basis"]) == (0.30, "threshold")
    assert profit["vs_target"] == pytest.approx(-2.0) and profit["vs_prior_year"] == pytest.approx(-2.0)
    assert card.loc["fill_rate", "target_basis"] == "target"
    assert card.loc["fill_rate", "vs_target"] == pytest.approx(-2.0)


def test_no_threshold_stands_in_where_the_status_has_nothing_to_read():
    # the share unknown (no demand): no share change to hold against 0 points, so no target either
    table = _table()
    table[["share_of_wallet", "share_of_wallet_target", "share_change_pp"]] = np.nan
    keys = {"region": pd.Series(["East"], index=["A1"])}
    rag = {"share_change_pp": Rag(green=0.0, amber=-2.0), "gross_margin": Rag(green=0.30, amber=0.25)}
    card = scorecard(table, keys, Quarter.parse("2026Q3"), rag).set_index("indicator")
    share = card.loc["share"]
    assert np.isnan(share["target"]) and share["target_basis"] is None and np.isnan(share["vs_target"])
    assert (card.loc["profit", "target"], card.loc["profit", "target_basis"]) == (0.30, "threshold")
