"""KPIs at every level: account components summed to a level, then the same formulas.

:func:`rollup` is the one aggregation every ratio goes through (Σ numerator / Σ
denominator, docs/kpis.md "The aggregation rule"); a level's value is never an average of its
accounts'.  Two kinds of component are not sums of the accounts' and are taken per key
instead: the median promotion lead time and the number of distinct account managers.  At the
``owner`` level, opportunities count for their own owner rather than their account's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import pandas as pd

from kamreport.kpi import commitments, execution, fill_rate, profit, sales, share, supporting, value
from kamreport.kpi.base import KpiContext, OwnedRows, positions
from kamreport.params import KpiParams
from kamreport.registry import KPI_IDS


class KpiFamily(Protocol):
    """What each family module (``kpi/sales.py`` …) provides: its components, formulas and values."""

    FORMULAS: dict[str, str]

    def components(self, ctx: KpiContext) -> pd.DataFrame:
        """The family's additive components per (period, account)."""
        ...

    def values(self, c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
        """KPI id → values computed from components at any level."""
        ...


FAMILIES: tuple[KpiFamily, ...] = (sales, share, execution, profit, fill_rate, supporting, commitments, value)
# Items with an owner of their own: at the owner level they count for that owner.
OWNED: tuple[OwnedRows, ...] = (supporting.OPPORTUNITIES, value.BIDS)
LEVELS: tuple[str, ...] = ("account", "owner", "group", "region", "company")
LONG_COLUMNS = ["period", "level", "key", "kpi", "value"]
_INDEX = ["period", "level", "key"]
_LEVEL_COLUMN = {"account": "account_id", "owner": "owner", "group": "group_id", "region": "region"}
OpportunityKey = Callable[[pd.DataFrame], pd.Series]
# Levels whose opportunities count for a key of their own rather than their account's.
_OPPORTUNITY_KEYS: dict[str, OpportunityKey] = {"owner": lambda rows: rows["owner"]}


def level_keys(accounts: pd.DataFrame, level: str) -> pd.Series:
    """account_id → the account's key at ``level`` (accounts without a group are not in ``group``)."""
    ids = accounts["account_id"].astype("string")
    if level == "company":
        keys = pd.Series("all", index=ids, dtype="string")
    else:
        keys = pd.Series(accounts[_LEVEL_COLUMN[level]].astype("string").to_numpy(), index=ids)
    keys.index.name = "account_id"
    return keys.dropna()


def account_components(ctx: KpiContext) -> pd.DataFrame:
    """Every family's components for every (period, account) in scope (an overflow is missing, see evaluate)."""
    components = pd.concat([family.components(ctx) for family in FAMILIES], axis=1)
    numeric = components.select_dtypes("number").columns
    finite = np.isfinite(components[numeric].to_numpy(dtype="float64"))
    cleaned = components[numeric].where(finite)
    return pd.concat([components.drop(columns=numeric), cleaned], axis=1)[components.columns]


def rollup(components: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Sum account components per key (and period); a key whose accounts all miss a component misses it.

    ``components`` is indexed by account_id, or by (period, account_id), or by account_id
    and any other labels (month, rep, category …): every index level but account_id is kept,
    a missing label (a product without a category) included.  ``keys`` maps account_id to
    the level's key.
    """
    # one hash look-up of every row's account gives both the rows in scope and their keys
    found = positions(components.index.get_level_values("account_id"), keys.index)
    inside = found >= 0
    rows = components[inside]
    mapped = keys.to_numpy()[found[inside]]
    others = [str(name) for name in components.index.names if name != "account_id"]
    by = [rows.index.get_level_values(name) for name in others] + [pd.Index(mapped, name="key")]
    return rows.groupby(by, sort=True, dropna=False).sum(min_count=1)


def level_components(
    ctx: KpiContext,
    components: pd.DataFrame,
    keys: pd.Series,
    opportunity_key: OpportunityKey | None = None,
    medians: bool = True,
) -> pd.DataFrame:
    """The components of one level, per (period, key): the roll-up plus what is taken per key.

    ``keys`` maps account_id → key; ``opportunity_key`` (rows of an :data:`OWNED` source →
    key) counts opportunities and the bids on them for a key of their own — a key that holds
    no account then gets a row of its own.  ``medians=False``
    skips the median promotion lead time (missing then), for callers that do not show it.
    """
    summed = rollup(components, keys)
    if opportunity_key is not None:
        for source in OWNED:
            own = source.by_key(ctx, opportunity_key, also=summed.index.get_level_values("key"))
            if own is not None:
                summed = summed.reindex(summed.index.union(own.index))
                summed[list(own.columns)] = own.reindex(summed.index)
    summed["account_managers"] = execution.account_managers(ctx, keys).reindex(summed.index)
    summed["promo_lead_days_median"] = (
        supporting.lead_days_median(ctx, keys).reindex(summed.index) if medians else float("nan")
    )
    return summed


def evaluate(components: pd.DataFrame, params: KpiParams) -> pd.DataFrame:
    """KPI values (columns in registry order) from components at any level."""
    values: dict[str, pd.Series] = {}
    for family in FAMILIES:
        values.update(family.values(components, params))
    values.update(value.combined(values))  # ids made of other families' values (value creation)
    index = components.index
    columns = [values[kpi] for kpi in KPI_IDS]
    if all(isinstance(v, pd.Series) and v.index.is_(index) and isinstance(v.dtype, np.dtype) for v in columns):
        # every value is on the components' rows: one block, a KPI per row (the layout of a
        # frame's block, so that the frame takes it without a copy)
        block = np.empty((len(columns), len(index)), dtype="float64")
        for j, column in enumerate(columns):
            block[j] = column.to_numpy(dtype="float64")
    else:
        table = pd.DataFrame(dict(zip(KPI_IDS, columns, strict=True)), index=index)
        block = table.to_numpy(dtype="float64", copy=True).T
    # a product of finite figures can still overflow (a price over a near-zero quantity, times a
    # quantity): no KPI is ever infinite, it is missing
    block[~np.isfinite(block)] = np.nan
    return pd.DataFrame(block.T, index=index, columns=list(KPI_IDS), copy=False)


def kpi_table(
    ctx: KpiContext, levels: tuple[str, ...] = LEVELS, components: pd.DataFrame | None = None
) -> pd.DataFrame:
    """All KPI ids at ``levels`` for every quarter of the context: rows (period, level, key), a column per id.

    The components of every level are stacked and the formulas run once over the stack:
    the same code for every level and quarter.  ``components`` are the context's account
    components when the caller already has them.
    """
    components = account_components(ctx) if components is None else components
    stacked = []
    for level in levels:
        keys = level_keys(ctx.accounts, level)
        if keys.empty:
            continue
        summed = level_components(ctx, components, keys, _OPPORTUNITY_KEYS.get(level))
        stacked.append(pd.concat({level: summed}, names=["level"]))
    table = evaluate(pd.concat(stacked), ctx.params)
    table.index = pd.MultiIndex.from_frame(table.index.to_frame(index=False)[_INDEX])
    return table


def to_long(table: pd.DataFrame) -> pd.DataFrame:
    """A (period, level, key) × KPI table in the long format of kpis.csv (labels as categories)."""
    long = table.reset_index().melt(id_vars=_INDEX, var_name="kpi", value_name="value")
    long["value"] = long["value"].astype("float64")
    for column in ("period", "level", "kpi"):
        long[column] = long[column].astype("category")
    return long[LONG_COLUMNS]


def wide(kpis: pd.DataFrame, level: str, period: str | None = None) -> pd.DataFrame:
    """One level of a long KPI frame as a table: one row per key, one column per KPI id."""
    rows = kpis[kpis["level"] == level]
    if period is not None:
        rows = rows[rows["period"] == period]
    table = rows.set_index(["key", "kpi"])["value"].unstack("kpi")
    table.columns.name = None
    return table.reindex(columns=[k for k in KPI_IDS if k in table.columns])
