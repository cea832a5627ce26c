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


def attack_priority(
    eligible: pd.Series,
    competitor_tier: pd.Series,
    potential: pd.Series,
    order: list[str],
    scope: pd.Series | None = None,
) -> pd.Series:
    """Rank of each account it applies to for attack: competitor tiers in ``order`` first, then potential.

    ``eligible`` marks the accounts ranked (key accounts in position ``attack``); the others
    have no priority.  With ``scope`` (account → region, say) the ranks restart at 1 within
    each scope.  Ties fall back to account_id.
    """
    ranks = {tier: i for i, tier in enumerate(order)}
    frame = pd.DataFrame(
        {
            "scope": scope.reindex(eligible.index).astype("string").fillna("") if scope is not None else "",
            "tier_rank": competitor_tier.map(ranks).astype("float64").fillna(len(order)),
            "potential": -potential.astype("float64").fillna(0.0),
            "id": eligible.index.astype(str),
        },
        index=eligible.index,
    )[eligible.fillna(False).astype(bool).to_numpy()]
    ordered = frame.sort_values(["scope", "tier_rank", "potential", "id"])
    priority = pd.Series(pd.NA, index=eligible.index, dtype="Int64")
    priority.loc[ordered.index] = ordered.groupby("scope", sort=False).cumcount().to_numpy() + 1
    return priority
