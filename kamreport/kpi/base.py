"""What every KPI family shares: the context, per-account sums and safe ratios.

A family module (sales, share, execution, profit, fill_rate, supporting) has two pure
functions: ``components(ctx)`` — additive numerators and denominators per account and
quarter — and ``values(c, params)`` — the KPI ids from components.  ``values`` runs
unchanged at every level because the engine sums components first (the aggregation rule:
Σ numerator / Σ denominator).

Every frame here is indexed by (``period``, ``account_id``) over all the quarters a run
reports, so each family runs once for the whole trend, not once per quarter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.facts import Facts
from kamreport.params import KpiParams
from kamreport.periods import Quarter

INDEX = ["period", "account_id"]
# The fact frames whose quarters before the data starts have no figure (covered_from).  Sparse
# tables (spend, promotions) keep 0 for a quarter without rows: their absence says nothing.
_COVERED = ("sales_month", "sales_week", "orders_month", "visits", "receivables")


@dataclass(frozen=True)
class KpiContext:
    """Everything a family needs: facts, the quarters, the accounts in scope and the policy.

    Parameters
    ----------
    quarters
        The quarters to compute, the run's period last (it is the *current* one: the
        opportunity snapshot gives a pipeline only for it).
    required_visits
        Required visits per (period, account_id), from each quarter's tier.
    next_quarter_target
        Per account, for the current period only (pipeline coverage).
    key_accounts
        1.0 for a key account in that quarter, else 0.0, per (period, account_id).
    """

    facts: Facts
    quarters: tuple[Quarter, ...]
    accounts: pd.DataFrame
    params: KpiParams
    required_visits: pd.Series | None = None
    next_quarter_target: pd.Series | None = None
    key_accounts: pd.Series | None = None
    stage_probability: tuple[float, ...] = (0.05, 0.10, 0.20, 0.30, 0.50, 0.70, 0.90, 1.00)

    @property
    def current(self) -> Quarter:
        """The run's period."""
        return self.quarters[-1]

    @cached_property
    def index(self) -> pd.MultiIndex:
        """(period, account_id) for every quarter and account in scope."""
        return self._index(0)

    @cached_property
    def _indexes(self) -> dict[int, pd.MultiIndex]:
        return {}

    def _index(self, offset: int) -> pd.MultiIndex:
        """(period shifted by ``offset``, account_id), built once per offset."""
        if offset not in self._indexes:
            periods = [str(q.shift(offset)) for q in self.quarters]
            ids = self.accounts["account_id"].astype("string")
            self._indexes[offset] = pd.MultiIndex.from_product([periods, ids], names=INDEX)
        return self._indexes[offset]

    @cached_property
    def account_level(self) -> pd.Index:
        """The account_id of each row of :attr:`index`."""
        return self.index.get_level_values("account_id")

    def by_account(self, frame: pd.DataFrame, column: str, offset: int = 0, fill: float | None = 0.0) -> pd.Series:
        """Σ ``column`` of ``frame`` per account in each quarter shifted by ``offset`` quarters.

        ``offset=-1`` gives each quarter's PQ value, ``-4`` its PY value.  Accounts with no
        rows get ``fill`` (0 for flows such as revenue; ``None`` keeps them missing, for
        declarations such as targets and demand) — but, for the sales, orders, visits and
        receivables frames, only in quarters their data covers (:func:`covered_from`): before
        the data starts an account has no figure, not a zero, so a trend or a growth never
        compares with a quarter nobody exported.  A frame
        without the column — the company has no such table — gives missing for everyone.
        """
        if column not in frame:
            return self.missing()
        sums, positions = self._sums(frame), self._positions(frame, offset)
        # the reindex of the sums on the shifted index, by positions found once per frame and offset
        result = pd.Series(take(sums[column], positions), index=self.index)
        shifted = self._index(offset)
        if fill is None:
            return result
        start = self._covered_from(frame)
        if start is None:
            return result.fillna(fill)
        covered = np.asarray(shifted.get_level_values("period") >= str(start), dtype=bool)
        return result.fillna(fill).where(covered)

    def _covered_from(self, frame: pd.DataFrame) -> Quarter | None:
        """The first quarter ``frame`` covers, for the fact frames of :data:`_COVERAGE` (else None)."""
        if not any(frame is getattr(self.facts, name) for name in _COVERED):
            return None
        if id(frame) not in self._covered:  # the fact frames live as long as the context: their ids stay theirs
            self._covered[id(frame)] = covered_from(frame)
        return self._covered[id(frame)]

    @cached_property
    def _covered(self) -> dict[int, Quarter | None]:
        return {}

    @cached_property
    def _sum_cache(self) -> dict[int, tuple[pd.DataFrame, pd.DataFrame, dict[int, np.ndarray]]]:
        return {}

    def _positions(self, frame: pd.DataFrame, offset: int) -> np.ndarray:
        """Where each (period shifted by ``offset``, account) is in the sums of ``frame`` (−1: no rows), found once."""
        self._sums(frame)
        found = self._sum_cache[id(frame)][2]
        if offset not in found:
            found[offset] = self._sum_cache[id(frame)][1].index.get_indexer(self._index(offset))
        return found[offset]

    def _sums(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Every numeric column of a fact frame summed per (quarter, account), once per frame.

        The cache keeps the frame itself beside its sums, so its ``id`` cannot be reused by
        another frame while the context lives.
        """
        cached = self._sum_cache.get(id(frame))
        if cached is None or cached[0] is not frame:
            numeric = [c for c in frame.columns if _summable(frame[c])]
            grouped = frame.groupby(["quarter", "account_id"], sort=False)[numeric].sum(min_count=1)
            cached = (frame, grouped.astype("float64"), {})
            self._sum_cache[id(frame)] = cached
        return cached[1]

    def per_account(self, values: pd.Series) -> pd.Series:
        """A per-account Series (index account_id) repeated for every quarter."""
        if values.dtype == np.float64 and values.index.is_unique:
            return pd.Series(take(values, positions(self.account_level, values.index)), index=self.index)
        return pd.Series(values.reindex(self.account_level).to_numpy(), index=self.index)

    def only_current(self, values: pd.Series) -> pd.Series:
        """``values`` for the run's period, missing for the other quarters."""
        return values.where(self.index.get_level_values("period") == str(self.current))

    def kpi_target(self, kpi: str) -> pd.Series:
        """Each account's target of ``kpi`` per quarter: the targets table's, else its region's, else the company's.

        The table column is ``<kpi>_target``; the params are ``kpi.targets.<kpi>``.
        """
        column = f"{kpi}_target"
        given = self.by_account(self.facts.kpi_targets, column, fill=None)
        setting = self.params.targets.get(kpi)
        if setting is None:
            return given
        region = self.accounts.set_index("account_id")["region"].astype("string")
        default = region.map(setting.regions).astype("float64")
        if setting.company is not None:
            default = default.fillna(setting.company)
        return given.fillna(self.per_account(default))

    def missing(self) -> pd.Series:
        """A component the company cannot supply: missing for every account."""
        return pd.Series(np.nan, index=self.index, dtype="float64")

    def zeros(self) -> pd.Series:
        """Zero for every account and quarter."""
        return pd.Series(0.0, index=self.index, dtype="float64")


def covered_from(frame: pd.DataFrame) -> Quarter | None:
    """The first quarter a fact frame holds rows in (its data covers the quarters from it), or None when empty.

    A quarter the data starts inside counts as covered: an export cannot tell a month nobody
    exported from a month nobody bought in, so its figures are the lines it holds.
    """
    if frame.empty:
        return None
    if "quarter" in frame:
        return Quarter.parse(str(frame["quarter"].min()))
    if "month" in frame:
        first = pd.Period(str(frame["month"].min()), freq="M")
        return Quarter(first.year, (first.month - 1) // 3 + 1)
    return None


def isin(values: pd.Series | pd.Index, wanted: Iterable[object] | pd.Index | pd.Series) -> np.ndarray:
    """Whether each of ``values`` is one of ``wanted``: pandas' ``isin``, as a boolean array.

    For Arrow-backed text (account ids, keys) pandas converts every wanted value to an Arrow
    scalar one at a time, a Python loop over thousands of account ids per call; here the wanted
    text goes to Arrow's ``is_in`` as one array (a missing value matches a missing value, as in
    pandas).  Anything else goes through pandas.
    """
    if _arrow_text(values):
        options = wanted if isinstance(wanted, pd.Index | pd.Series) else pd.Index(list(wanted), dtype=object)
        if isinstance(options.dtype, pd.StringDtype) or pd.api.types.infer_dtype(options, skipna=True) in (
            "string",
            "empty",
        ):
            column = values.array.__arrow_array__()
            value_set = pa.array(pd.array(np.asarray(options.unique(), dtype=object), dtype="string"), type=column.type)
            return np.asarray(pc.is_in(column, value_set=value_set).to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(values.isin(wanted), dtype=bool)


def positions(values: pd.Index, labels: pd.Index) -> np.ndarray:
    """Where each of ``values`` is among the unique ``labels`` (−1 where it is not): ``labels.get_indexer(values)``.

    Account ids are Arrow text: pandas looks them up as Python objects, Arrow hashes them
    as they are (a missing value finds a missing label, as in pandas).
    """
    if _arrow_text(values) and _arrow_text(labels):
        column = values.array.__arrow_array__()
        value_set = labels.array.__arrow_array__().combine_chunks().cast(column.type)
        found = pc.fill_null(pc.index_in(column, value_set=value_set), -1)
        return np.asarray(found.to_numpy(), dtype=np.intp)
    return np.asarray(labels.get_indexer(values), dtype=np.intp)


def lookup(values: pd.Index, mapping: pd.Series) -> pd.api.extensions.ExtensionArray:
    """``mapping``'s value for each of ``values``, missing where it has none: ``values.map(mapping)`` by positions.

    ``mapping``'s index is unique (accounts, owners, regions).
    """
    taken: pd.api.extensions.ExtensionArray = mapping.array.take(positions(values, mapping.index), allow_fill=True)
    return taken


def _arrow_text(values: pd.Index | pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def take(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """``values`` at the positions ``at`` as float64, missing where a position is −1."""
    taken = np.full(len(at), np.nan)
    hit = at >= 0
    taken[hit] = values.to_numpy(dtype="float64")[at[hit]]
    return taken


def _summable(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator``, missing where the denominator is zero or missing (never inf)."""
    den = denominator.astype("float64")
    num = numerator.astype("float64")
    if isinstance(num, pd.Series) and isinstance(den, pd.Series) and num.index.is_(den.index):
        # the same rows (the usual case: two components of one frame): numpy, without pandas' alignment
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            values = num.to_numpy() / np.where(den.to_numpy() != 0, den.to_numpy(), np.nan)
        values[~np.isfinite(values)] = np.nan
        return pd.Series(values, index=num.index, name=num.name if num.name == den.name else None)
    result = (num / den.where(den != 0)).astype("float64")
    return result.where(np.isfinite(result))


def growth(current: pd.Series, previous: pd.Series) -> pd.Series:
    """``current / previous − 1``, missing where ``previous`` ≤ 0."""
    prev = previous.astype("float64")
    return ratio(current, prev.where(prev > 0)) - 1


def only_where(values: pd.Series, present: pd.Series) -> pd.Series:
    """``values`` where ``present`` is not missing, else missing."""
    return values.where(present.notna())


def target_components(kpi: str, target: pd.Series, weight: pd.Series) -> dict[str, pd.Series]:
    """The two components of a ratio KPI's target: its weight where a target exists, and target × weight.

    A level's target is then Σ target × weight / Σ weight (:func:`target_value`): the accounts'
    targets weighted by the KPI's own denominator, so that meeting every account's target
    meets the level's.
    """
    has = target.notna() & weight.notna()
    return {f"{kpi}_target_weight": weight.where(has), f"{kpi}_target_weighted": (target * weight).where(has)}


def target_value(c: pd.DataFrame, kpi: str) -> pd.Series:
    """A ratio KPI's target from its (summed) :func:`target_components`."""
    return ratio(c[f"{kpi}_target_weighted"], c[f"{kpi}_target_weight"])


def period_days(index: pd.Index) -> pd.Series:
    """Days in the quarter of each row (index level ``period``, ``YYYYQn``)."""
    codes, periods = pd.factorize(index.get_level_values("period").astype(str))
    days = np.array([float((Quarter.parse(p).end - Quarter.parse(p).start).days + 1) for p in periods])
    return pd.Series(days[codes], index=index)


# One row per item (an opportunity, a bid …): quarter, account_id, owner and its additive components.
RowsFn = Callable[[KpiContext], "pd.DataFrame | None"]


@dataclass(frozen=True)
class OwnedRows:
    """Items that have one owner of their own (opportunities, the bids on them).

    At the ``owner`` level they count for that owner (:meth:`by_key` keyed by the item's
    ``owner``), at every other level for their account's key — so each item counts once at
    every level (issue 14's owner attribution).

    Parameters
    ----------
    rows
        ``ctx`` → one row per item with ``quarter``, ``account_id``, ``owner`` and the
        components; None when the company lacks the table (the components are missing).
    components
        The additive components of each row.
    current_only
        Components of today's snapshot (the open pipeline, open bids): the run's period only.
    """

    rows: RowsFn
    components: tuple[str, ...]
    current_only: tuple[str, ...] = ()

    def by_account(self, ctx: KpiContext) -> dict[str, pd.Series]:
        """Each component summed per (period, account_id) of the context."""
        rows = self.rows(ctx)
        if rows is None:
            return {name: ctx.missing() for name in self.components}
        summed = {name: ctx.by_account(rows, name) for name in self.components}
        return {n: ctx.only_current(v) if n in self.current_only else v for n, v in summed.items()}

    def by_key(
        self, ctx: KpiContext, key_of: Callable[[pd.DataFrame], pd.Series], also: Iterable[str] = ()
    ) -> pd.DataFrame | None:
        """The components per (period, key), each item counted once, for ``key_of(rows)``.

        ``key_of`` gives each row its key (e.g. the item's own owner); rows without a key are
        left out.  Every quarter has a row for every key found and every key in ``also``, zero
        where nothing happened; the :attr:`current_only` components are missing outside the
        run's period.  None when the company lacks the table.
        """
        rows = self.rows(ctx)
        if rows is None:
            return None
        periods = [str(q) for q in ctx.quarters]
        keys = key_of(rows).astype("string")
        extra = also.unique() if isinstance(also, pd.Index) else also  # each key once, not once per quarter
        found = sorted(set(keys.dropna().unique()) | {str(k) for k in extra})
        rows = rows.assign(key=keys)[keys.notna() & rows["quarter"].isin(periods)]
        index = pd.MultiIndex.from_product([periods, found], names=[INDEX[0], "key"])
        sums = rows.groupby(["quarter", "key"])[list(self.components)].sum()
        sums.index.names = [INDEX[0], "key"]
        frame = sums.reindex(index).fillna(0.0)
        current = frame.index.get_level_values(INDEX[0]) == str(ctx.current)
        for name in self.current_only:
            frame[name] = frame[name].where(current)
        return frame
