"""Next-quarter target decomposition by relationship position (docs/kpis.md, "Next-quarter target")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.params import TargetParams


def decompose(
    revenue: pd.DataFrame,
    position: pd.Series,
    demand: pd.Series,
    region: pd.Series,
    closed: pd.Series,
    params: TargetParams,
) -> pd.DataFrame:
    """Base, market growth, target and reconciled target per account.

    Parameters
    ----------
    revenue
        Columns ``p``, ``pq``, ``p2``: revenue in P, PQ and P-2 (index account_id).
    position
        maintain / defend / attack / unknown.
    demand
        The account's demand in P (for attack accounts).
    region
        Each account's region (for per-region market growth).
    closed
        True for closed accounts: their target is 0.
    params
        Weights, growth, capture and the optional company target.
    """
    w = params.weights
    base = w[0] * revenue["p"] + w[1] * revenue["pq"] + w[2] * revenue["p2"]
    growth = region.map(params.market_growth_by_region).astype("float64").fillna(params.market_growth)
    gap = (params.attack_target_share * demand - base).clip(lower=0)
    attack = base + params.attack_capture * gap
    target = pd.Series(np.where(position == "attack", attack, base * (1 + growth)), index=base.index)
    target = target.where(~closed.astype(bool), 0.0)
    frame = pd.DataFrame({"base": base, "market_growth": growth.where(position != "attack"), "target_nq": target})
    frame["capture"] = (params.attack_capture * gap).where(position == "attack")
    factor = reconcile_factor(target, params.company_target_nq)
    frame["target_nq_reconciled"] = target * factor if factor is not None else target.copy()
    frame["reconcile_factor"] = np.nan if factor is None else factor
    return frame


def reconcile_factor(target: pd.Series, company_target: float | None) -> float | None:
    """The factor that scales targets to the company's top-down target (None without one)."""
    total = float(target.sum())
    if company_target is None or total <= 0:
        return None
    return company_target / total
