"""Key-account selection and the quarterly review (docs/kpis.md, "Key accounts and the quarterly review")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.params import KeyAccountParams


def key_accounts(tier: pd.Series, potential: pd.Series, closed: pd.Series, params: KeyAccountParams) -> pd.Series:
    """Tier A or B, or a monthly potential of at least the threshold; never a closed account."""
    big = potential.astype("float64").fillna(-np.inf) >= params.min_potential_monthly
    key = tier.isin(params.tiers).fillna(False).astype(bool) | big
    return (key & ~closed.astype(bool)).astype(bool)


def review(key_now: pd.Series, key_before: pd.Series) -> pd.Series:
    """``added`` (key now, not last quarter), ``dropped``, ``kept``; missing when key in neither."""
    now, before = key_now.astype(bool), key_before.astype(bool)
    result = np.select([now & ~before, ~now & before, now & before], ["added", "dropped", "kept"], default="")
    return pd.Series(result, index=key_now.index, dtype="string").replace("", pd.NA)


def attack_priority(key: pd.Series, competitor_tier: pd.Series, potential: pd.Series, order: list[str]) -> pd.Series:
    """Rank of each key account for attack: competitor tiers in ``order`` first, then potential (largest first).

    Non-key accounts have no priority; ties fall back to account_id.
    """
    ranks = {tier: i for i, tier in enumerate(order)}
    frame = pd.DataFrame(
        {
            "tier_rank": competitor_tier.map(ranks).astype("float64").fillna(len(order)),
            "potential": -potential.astype("float64").fillna(0.0),
            "id": key.index.astype(str),
        },
        index=key.index,
    )[key.astype(bool).to_numpy()]
    ordered = frame.sort_values(["tier_rank", "potential", "id"]).index
    priority = pd.Series(pd.NA, index=key.index, dtype="Int64")
    priority.loc[ordered] = np.arange(1, len(ordered) + 1)
    return priority
