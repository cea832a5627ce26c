"""Relationship position — maintain / defend / attack / unknown (docs/kpis.md, "Relationship position")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.params import PositionParams

POSITIONS: tuple[str, ...] = ("maintain", "defend", "attack", "unknown")


def position(share: pd.Series, change_pp: pd.Series, params: PositionParams) -> pd.Series:
    """The position of each account from its share of wallet and its change in points.

    ``change_pp`` is compared rounded to 9 decimals, so a drop of exactly the threshold
    (e.g. 0.75 → 0.70 is −5.000000000000004 in floating point) counts as exactly −5.
    """
    change = change_pp.astype("float64").round(9)
    keeps = change.isna() | (change > -params.max_share_drop_pp)
    s = share.astype("float64")
    result = np.select(
        [s.isna(), (s >= params.maintain_share) & keeps, s >= params.defend_share],
        ["unknown", "maintain", "defend"],
        default="attack",
    )
    return pd.Series(result, index=share.index, dtype="string")


def movement_matrix(before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """Counts of accounts by position last quarter (rows) × this quarter (columns), all four each way."""
    table = pd.crosstab(before.fillna("unknown"), after.fillna("unknown"))
    table = table.reindex(index=list(POSITIONS), columns=list(POSITIONS), fill_value=0)
    table.index.name = "position_pq"
    table.columns.name = "position"
    return table.astype("int64")
