"""The figures of the plan-of-record chapters beyond the KPI table, computed once per run.

Like :mod:`kamreport.kpi.series`: report sections select rows of these frames and format them,
they never compute.

- :func:`objective_list` and :func:`promotion_list`: the objectives and the promotion plan of
  the accounts in scope, each row flagged for the run's period (due now, overdue; in the
  next three months, on time, started this quarter).
- :func:`bid_list` and :func:`open_bids`: the bid register, and its open bids per view by
  impact and our degree of control.
- :func:`forecast_hierarchy`: each level's latest commit, best case and pipeline figure
  against the sum of the level below (the manager's adjustment) and the actual revenue.
- :func:`segments`: revenue, share of wallet and potential per customer segment and view.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from kamreport.contract import BID_CONTROL, BID_IMPACT, FORECAST_CATEGORIES
from kamreport.facts import Facts
from kamreport.kpi.base import isin, lookup, ratio
from kamreport.kpi.commitments import lead_status, objective_flags, plan_months, promotion_months
from kamreport.kpi.series import Keys, by_view
from kamreport.periods import Quarter, quarter_labels

PLAN_MONTH_COLUMNS = tuple(f"month_{k}" for k in (1, 2, 3))  # the plan's three months, in order
HIERARCHY = ("account", "owner", "region", "company")  # forecast levels, bottom up
HIERARCHY_COLUMNS = [
    "period",
    "level",
    "key",
    "region",
    *FORECAST_CATEGORIES,
    "below",
    "adjustment",
    "actual",
    "commit_vs_actual",
]


def objective_list(facts: Facts, ids: pd.Index, period: Quarter) -> pd.DataFrame:
    """The objectives of the accounts in scope with ``due_now`` and ``overdue`` (see :func:`objective_flags`)."""
    columns = ["account_id", "objective", "owner", "due", "status", "completion", "party", "quarter"]
    if not facts.has("objectives"):
        return pd.DataFrame(columns=[*columns, "due_now", "overdue"])
    rows = facts.objectives[isin(facts.objectives["account_id"], ids)]
    flagged = objective_flags(rows[columns], period)
    return flagged.sort_values(["account_id", "due", "objective"], ignore_index=True)


def promotion_list(facts: Facts, ids: pd.Index, period: Quarter, lead_days: int) -> pd.DataFrame:
    """The promotion plan of the accounts in scope, each promotion with its place in the run.

    Adds ``days`` (its length, both ends counted), ``month_1`` … ``month_3`` (whether it runs
    in each of the three months after the period — :func:`~kamreport.kpi.commitments.plan_months`
    names them), ``in_plan`` (it runs in one of them), ``started_now`` (it started in the
    period), ``deadline``, ``judged`` and ``on_time``
    (:func:`~kamreport.kpi.commitments.lead_status`) and ``spend_vs_plan`` / ``volume_vs_plan``
    (actual over planned).
    """
    if not facts.has("promotions"):
        return pd.DataFrame(columns=["account_id", "promo_id", *PLAN_MONTH_COLUMNS, "in_plan", "started_now"])
    rows = facts.promotions[isin(facts.promotions["account_id"], ids)].reset_index(drop=True)
    months = promotion_months(rows, plan_months(period))
    months.columns = list(PLAN_MONTH_COLUMNS)
    status = lead_status(rows, period, lead_days)
    frame = pd.concat([rows, months, status], axis=1)
    frame["days"] = ((rows["end"] - rows["start"]).dt.days + 1).astype("float64")
    frame["in_plan"] = months.any(axis=1)
    frame["started_now"] = (quarter_labels(rows["start"]) == str(period)).fillna(False).astype(bool)
    frame["spend_vs_plan"] = ratio(frame["actual_spend"], frame["planned_spend"])
    frame["volume_vs_plan"] = ratio(frame["actual_volume"], frame["planned_volume"])
    return frame


def bid_list(facts: Facts, ids: pd.Index, period: Quarter) -> pd.DataFrame:
    """The bids on the opportunities of the accounts in scope, with ``erosion`` and ``decided_now``.

    ``erosion`` = 1 − final quote / first quote; ``decided_now``: decided in the period.
    """
    if not facts.has("bids"):
        return pd.DataFrame(columns=["opportunity_id", "account_id", "erosion", "decided_now"])
    rows = facts.bids[isin(facts.bids["account_id"], ids)].reset_index(drop=True)
    erosion = 1 - ratio(rows["final_quote"], rows["first_quote"])
    decided_now = (quarter_labels(rows["decided"]) == str(period)).fillna(False).astype(bool)
    return rows.assign(erosion=erosion, decided_now=decided_now)


def open_bids(bids: pd.DataFrame, keys: Keys) -> pd.DataFrame:
    """Open bids per view, impact and control: how many and the amount of their opportunities.

    Every impact × control pair appears for every view that has an open bid (zero where none);
    a bid without an impact counts under ``unknown``.
    """
    columns = ["level", "key", "impact", "control", "bids", "amount"]
    if bids.empty or "result" not in bids:
        return pd.DataFrame(columns=columns)
    rows = bids[bids["result"] == "open"]
    parts = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(),
            "impact": rows["impact"].fillna("unknown").astype(str).to_numpy(),
            "control": rows["control"].fillna("unknown").astype(str).to_numpy(),
            "bids": 1.0,
            "amount": rows["amount"].astype("float64").to_numpy(),
        }
    ).set_index(["account_id", "impact", "control"])
    summed = by_view(parts, keys)
    views = summed[["level", "key"]].drop_duplicates()
    grid = pd.MultiIndex.from_product([(*BID_IMPACT, "unknown"), BID_CONTROL], names=["impact", "control"])
    full = views.merge(grid.to_frame(index=False), how="cross")
    frame = full.merge(summed, on=["level", "key", "impact", "control"], how="left")
    frame[["bids", "amount"]] = frame[["bids", "amount"]].fillna(0.0)
    has_unknown = frame[frame["impact"] == "unknown"].groupby(["level", "key"])["bids"].transform("sum") > 0
    keep = (frame["impact"] != "unknown") | has_unknown.reindex(frame.index, fill_value=True)
    return frame[keep][columns].reset_index(drop=True)


def owner_regions(accounts: pd.DataFrame) -> pd.Series:
    """Each owner's region: the one most of their accounts are in (ties: the first by name)."""
    counts = accounts.groupby(["owner", "region"]).size().reset_index(name="n")
    counts = counts.sort_values(["owner", "n", "region"], ascending=[True, False, True])
    return counts.drop_duplicates("owner").set_index("owner")["region"].astype("string")


def forecast_hierarchy(facts: Facts, accounts: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Each level's forecast against the level below and the actual revenue, per quarter of ``periods``.

    One row per (period, level, key) that has a forecast: the latest ``commit``,
    ``best_case`` and ``pipeline`` figures of that level (:attr:`Facts.forecast_levels`),
    ``below`` — the sum of the commits one level down (an owner's accounts, a region's
    owners, the company's regions) — the manager's ``adjustment`` = commit − below,
    ``actual`` (the revenue of the key's accounts in scope) and ``commit_vs_actual`` =
    commit / actual − 1.  ``region`` is the region a row belongs to (an owner's: where most
    of their accounts are).
    """
    levels = facts.forecast_levels
    if levels.empty:
        return pd.DataFrame(columns=HIERARCHY_COLUMNS)
    region_of_owner = owner_regions(accounts)
    rows = levels[levels["quarter"].isin(periods)]
    wide = rows.pivot_table(index=["quarter", "level", "key"], columns="category", values="forecast", aggfunc="sum")
    wide = wide.reindex(columns=list(FORECAST_CATEGORIES)).reset_index().rename(columns={"quarter": "period"})
    in_scope = _in_scope(wide, accounts, region_of_owner)
    wide = wide[in_scope].reset_index(drop=True)
    wide["region"] = _regions(wide, accounts, region_of_owner)
    wide["below"] = _below(wide, accounts, region_of_owner)
    wide["adjustment"] = wide["commit"] - wide["below"]
    wide["actual"] = _actual(facts, wide, accounts)
    wide["commit_vs_actual"] = ratio(wide["commit"], wide["actual"]) - 1
    order = {level: i for i, level in enumerate(HIERARCHY)}
    wide = wide.assign(_o=wide["level"].map(order)).sort_values(["period", "_o", "key"]).drop(columns="_o")
    return wide[HIERARCHY_COLUMNS].reset_index(drop=True)


def _in_scope(wide: pd.DataFrame, accounts: pd.DataFrame, region_of_owner: pd.Series) -> np.ndarray:
    """Rows of accounts, owners and regions of the run's scope (the company row always)."""
    known = {
        "account": accounts["account_id"].dropna().astype(str),
        "owner": region_of_owner.index.dropna().astype(str),
        "region": accounts["region"].dropna().astype(str),
    }
    level = wide["level"].to_numpy(dtype=object)
    inside = level == "company"
    for name, keys in known.items():
        inside |= (level == name) & isin(wide["key"], keys)
    return np.asarray(inside, dtype=bool)


def _regions(wide: pd.DataFrame, accounts: pd.DataFrame, region_of_owner: pd.Series) -> list[Any]:
    """The region of each row: its account's, its owner's (:func:`owner_regions`), itself for a region, else missing."""
    level = wide["level"].to_numpy(dtype=object)
    lookups = {
        "account": accounts.set_index("account_id")["region"].astype("string"),
        "owner": region_of_owner,
    }
    region = np.full(len(wide), pd.NA, dtype=object)
    for name, mapping in lookups.items():
        at = level == name
        found = mapping.reindex(pd.Index(wide["key"].to_numpy(dtype=object)[at])).to_numpy(dtype=object)
        region[at] = found
    at = level == "region"
    region[at] = wide["key"].to_numpy(dtype=object)[at]
    return region.tolist()  # a list, so that the column's text dtype is inferred as before


def _below(wide: pd.DataFrame, accounts: pd.DataFrame, region_of_owner: pd.Series) -> pd.Series:
    """Σ commit one level down for each row: the owner's accounts, the region's owners, the company's regions."""
    commit = wide.set_index(["period", "level", "key"])["commit"]
    parent = {
        "account": accounts.set_index("account_id")["owner"].astype("string"),
        "owner": region_of_owner,
        "region": pd.Series("all", index=pd.Index(accounts["region"].dropna().unique()), dtype="string"),
    }
    sums = []
    for child, up in itertools.pairwise(HIERARCHY):
        rows = commit.xs(child, level="level") if child in commit.index.get_level_values("level") else None
        if rows is None or rows.empty:
            continue
        keys = lookup(rows.index.get_level_values("key"), parent[child])
        summed = rows.groupby([rows.index.get_level_values("period"), keys]).sum(min_count=1)
        summed.index = pd.MultiIndex.from_arrays(
            [summed.index.get_level_values(0), [up] * len(summed), summed.index.get_level_values(1)],
            names=["period", "level", "key"],
        )
        sums.append(summed)
    if not sums:
        return pd.Series(np.nan, index=wide.index, dtype="float64")
    below = pd.concat(sums)
    rows_keys = pd.MultiIndex.from_frame(wide[["period", "level", "key"]])
    return pd.Series(below.reindex(rows_keys).to_numpy(dtype="float64"), index=wide.index)


def _actual(facts: Facts, wide: pd.DataFrame, accounts: pd.DataFrame) -> pd.Series:
    """The revenue of each row's accounts in its quarter (an owner's accounts, a region's, all)."""
    sales = facts.sales_month
    revenue = sales.groupby(["quarter", "account_id"])["revenue"].sum().astype("float64")
    indexed = accounts.set_index("account_id")
    column = {"account": None, "owner": "owner", "region": "region"}
    parts = []
    for level, by in column.items():
        keys = indexed.index.to_series() if by is None else indexed[by]
        members = lookup(revenue.index.get_level_values(1), keys)
        per = revenue.groupby([revenue.index.get_level_values(0), members]).sum()
        parts.append(pd.concat({level: per}, names=["level"]))
    company = revenue[isin(revenue.index.get_level_values(1), indexed.index)].groupby(level=0).sum()
    company.index = pd.MultiIndex.from_arrays([["company"] * len(company), company.index, ["all"] * len(company)])
    parts.append(company)
    actual = pd.concat(parts)
    actual.index = actual.index.set_names(["level", "period", "key"])
    wanted = pd.MultiIndex.from_frame(wide[["level", "period", "key"]])
    return pd.Series(actual.reindex(wanted).to_numpy(dtype="float64"), index=wide.index).fillna(0.0)


def segments(components: pd.DataFrame, accounts: pd.DataFrame, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Per view and customer segment (``accounts.segment``): revenue, share of wallet and potential.

    Columns: accounts, key accounts, revenue and its share of the view's, share of wallet (over
    the accounts with demand) and monthly potential.  ``components`` are the run's account
    components (index period, account_id); accounts without a segment count under a missing
    segment.
    """
    columns = ["level", "key", "segment", "accounts", "key_accounts", "revenue", "share", "share_of_wallet",
               "potential_monthly"]  # fmt: skip
    now = components.xs(str(period), level="period")
    indexed = accounts.set_index("account_id")
    ids = now.index.astype(str)
    parts = pd.DataFrame(
        {
            "account_id": ids,
            "segment": indexed["segment"].reindex(ids).astype("string").to_numpy(),
            "accounts": 1.0,
            "key_accounts": now["key_accounts"].to_numpy(dtype="float64"),
            "revenue": now["revenue"].to_numpy(dtype="float64"),
            "revenue_d": now["revenue_d"].to_numpy(dtype="float64"),
            "demand": now["demand"].to_numpy(dtype="float64"),
            "potential_monthly": indexed["potential_monthly"].reindex(ids).to_numpy(dtype="float64"),
        }
    ).set_index(["account_id", "segment"])
    if parts.empty:
        return pd.DataFrame(columns=columns)
    frame = by_view(parts, keys)
    total = frame.groupby(["level", "key"])["revenue"].transform("sum")
    frame["share"] = ratio(frame["revenue"], total)
    frame["share_of_wallet"] = ratio(frame["revenue_d"], frame["demand"])
    return frame.sort_values(["level", "key", "revenue"], ascending=[True, True, False])[columns].reset_index(drop=True)
