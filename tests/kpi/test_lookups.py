"""kpi.base's look-ups by Arrow (isin, positions, lookup, take) give what pandas gives, missing values included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamreport.kpi.base import isin, lookup, positions, ratio, take

IDS = pd.Index(["A1", "A2", None, "A3"], dtype="string")


@pytest.mark.parametrize(
    "wanted",
    [
        ["A3", "A1"],
        {"A2"},
        pd.Index(["A3", None], dtype="string"),
        pd.Series(["A1"], dtype="str"),
        [],
        ["A1", 1],  # not all text: pandas decides
    ],
)
def test_isin_is_pandas_isin(wanted: object) -> None:
    expected = np.asarray(IDS.isin(list(wanted)), dtype=bool)
    assert isin(IDS, wanted).tolist() == expected.tolist()


def test_isin_matches_by_hand() -> None:
    assert isin(IDS, ["A3", None]).tolist() == [False, False, True, True]


def test_positions_are_get_indexer_and_a_missing_id_finds_a_missing_label() -> None:
    labels = pd.Index(["A3", None, "A1"], dtype="string")
    assert positions(IDS, labels).tolist() == [2, -1, 1, 0]
    assert positions(IDS, labels).tolist() == labels.get_indexer(IDS).tolist()
    # not Arrow text on one side: pandas' own look-up
    assert positions(pd.Index(["A1", "Z"], dtype=object), labels).tolist() == [2, -1]


def test_lookup_maps_like_a_dict_and_take_fills_missing() -> None:
    owners = pd.Series(["Li", pd.NA], index=pd.Index(["A1", "A2"], dtype="string"), dtype="string")
    mapped = lookup(pd.Index(["A2", "A1", "A9"], dtype="string"), owners)
    assert [None if pd.isna(v) else v for v in mapped] == [None, "Li", None]
    revenue = pd.Series([10.0, 2.5])
    assert np.array_equal(take(revenue, np.array([1, -1, 0])), [2.5, np.nan, 10.0], equal_nan=True)


def test_ratio_on_shared_rows_and_on_aligned_rows() -> None:
    index = pd.Index(["a", "b", "c", "d"])
    num = pd.Series([1.0, 2.0, 3.0, np.inf], index=index, name="x")
    den = pd.Series([4.0, 0.0, np.nan, 1.0], index=index, name="x")
    shared = ratio(num, den)
    assert np.array_equal(shared.to_numpy(), [0.25, np.nan, np.nan, np.nan], equal_nan=True)
    assert shared.name == "x"
    # other rows on each side: aligned by label as pandas does
    other = ratio(num, pd.Series([2.0], index=["a"]))
    assert np.array_equal(other.reindex(index).to_numpy(), [0.5, np.nan, np.nan, np.nan], equal_nan=True)
