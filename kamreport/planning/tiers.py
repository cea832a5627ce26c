"""The 5 % / 20 % customer model (docs/kpis.md, "Tiers") and the visit policy it drives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.kpi.base import isin, positions, take
from kamreport.params import TierParams, VisitsRequired
from kamreport.periods import Quarter


def revenue_t4q(sales_month: pd.DataFrame, accounts: pd.Index, quarter: Quarter) -> pd.Series:
    """Revenue of each account over the four quarters ending with ``quarter``."""
    quarters = [str(q) for q in quarter.trailing(4)]
    rows = sales_month.loc[isin(sales_month["quarter"], quarters), ["account_id", "revenue"]]  # not every column
    summed = rows.groupby("account_id")["revenue"].sum().astype("float64")
    return pd.Series(take(summed, positions(accounts, summed.index)), index=accounts, name="revenue").fillna(0.0)


def assign_tiers(revenue: pd.Series, params: TierParams, region: pd.Series | None = None) -> pd.DataFrame:
    """Rank accounts by T4Q revenue and give each its tier.

    Parameters
    ----------
    revenue
        ``revenue_t4q`` per account (index account_id).
    params
        The cumulative-share thresholds and the ranking scope.
    region
        Each account's region; used when ``params.scope`` is ``region``.

    Returns
    -------
    DataFrame
        Index account_id; columns ``revenue_t4q``, ``rank`` (1 = largest, within the scope;
        missing for accounts without positive revenue), ``cum_before`` and ``tier``.
    """
    frame = pd.DataFrame({"revenue_t4q": revenue.astype("float64")})
    frame["scope"] = (
        region.reindex(frame.index).astype("string") if params.scope == "region" and region is not None else "all"
    )
    frame["rank"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    frame["cum_before"] = np.nan
    positive = frame[frame["revenue_t4q"] > 0].copy()
    positive["_id"] = positive.index.astype(str)
    positive = positive.sort_values(["scope", "revenue_t4q", "_id"], ascending=[True, False, True])
    by_scope = positive.groupby("scope", sort=False)["revenue_t4q"]
    total = by_scope.transform("sum")
    positive["cum_before"] = (by_scope.cumsum() - positive["revenue_t4q"]) / total
    positive["rank"] = by_scope.cumcount() + 1
    frame.loc[positive.index, "cum_before"] = positive["cum_before"]
    frame.loc[positive.index, "rank"] = positive["rank"].astype("Int64")
    tier = np.where(
        frame["cum_before"] < params.a_cum_share, "A", np.where(frame["cum_before"] < params.b_cum_share, "B", "C")
    )
    frame["tier"] = pd.Series(tier, index=frame.index).where(frame["revenue_t4q"] > 0, "C").astype("string")
    return frame.drop(columns="scope")


def required_visits(tiers: pd.Series, policy: VisitsRequired) -> pd.Series:
    """Required visits per quarter for each account's tier."""
    return tiers.map({"A": policy.A, "B": policy.B, "C": policy.C}).astype("float64")
