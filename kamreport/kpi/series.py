"""The figures report chapters show beyond the KPI table, computed once per run.

Each frame is long by report view — columns ``level`` (company, region, group, account)
and ``key`` — and holds the figures a chapter selects: monthly series, visits per rep,
product mix and divisions, the annual agreement so far, the scorecard and the profit
bridge.  Like the KPIs, a view's figure is its accounts' additive parts summed with
:func:`~kamreport.kpi.engine.rollup`, then divided with :func:`~kamreport.kpi.base.ratio`;
accounts appear only for key accounts (the ones with a plan).  Report sections select
rows from these frames and format them; they never compute (docs/chapters.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kamreport.facts import Facts
from kamreport.kpi.base import isin, ratio
from kamreport.kpi.commitments import AGREEMENT_ITEMS, agreement_ytd, year_elapsed
from kamreport.kpi.engine import level_keys, rollup
from kamreport.layout import LEVELS
from kamreport.params import Rag
from kamreport.periods import Quarter, quarter_of_month
from kamreport.registry import KPI_BY_ID, KPI_TARGETS

MONTHLY_QUARTERS = 4  # the monthly charts and tables cover the last four quarters
WEEKS = (1, 2, 3, 4)
# indicator → (headline KPI, the KPI its red / amber / green reads); the target is KPI_TARGETS[headline]
SCORECARD: tuple[tuple[str, str, str], ...] = (
    ("sales", "revenue", "attainment"),
    ("share", "share_of_wallet", "share_change_pp"),
    ("execution", "frequency_attainment", "frequency_attainment"),
    ("profit", "gross_margin", "gross_margin"),
    ("fill_rate", "fill_rate", "fill_rate"),
)
Keys = Mapping[str, pd.Series]


def view_keys(accounts: pd.DataFrame, key_accounts: set[str], levels: tuple[str, ...] = LEVELS) -> dict[str, pd.Series]:
    """account_id → key for every report level; the account level holds key accounts only."""
    keys = {level: level_keys(accounts, level) for level in levels}
    if "account" in keys:
        keys["account"] = keys["account"][isin(keys["account"].index, key_accounts)]
    return keys


def by_view(parts: pd.DataFrame, keys: Keys) -> pd.DataFrame:
    """Additive ``parts`` (index account_id plus any labels) summed per view: columns level, key, labels, parts."""
    frames = []
    for level, level_map in keys.items():
        if level_map.empty or parts.empty:
            continue
        summed = rollup(parts, level_map).reset_index()
        summed.insert(0, "level", level)
        frames.append(summed)
    if not frames:
        labels = [n for n in parts.index.names if n != "account_id"]
        return pd.DataFrame(columns=["level", "key", *labels, *parts.columns])
    frame = pd.concat(frames, ignore_index=True)
    labels = [n for n in parts.index.names if n != "account_id"]
    return frame[["level", "key", *labels, *parts.columns]]


def _months(period: Quarter) -> list[str]:
    return [m for q in period.trailing(MONTHLY_QUARTERS) for m in q.months]


def _indexed(frame: pd.DataFrame, labels: list[str], columns: list[str]) -> pd.DataFrame:
    return frame.set_index(["account_id", *labels])[columns].astype("float64")


def monthly(facts: Facts, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Per view and month of the last four quarters: revenue and target, orders and fill, revenue by week.

    A month's target is its monthly target where the targets table has one, else a third
    of its quarter's target (missing where there is no target at all).  ``w1`` … ``w4``
    are each week's share of the month's revenue (week 4 starts on
    ``kpi.last_week_first_day``).
    """
    months = _months(period)
    # the rows of these months, only the columns read (not a copy of every column)
    sales = facts.sales_month.loc[isin(facts.sales_month["month"], months), ["account_id", "month", "revenue"]]
    parts = [_indexed(sales, ["month"], ["revenue"])]
    week_fields = ["account_id", "month", "week_of_month", "revenue"]
    weeks = facts.sales_week.loc[isin(facts.sales_week["month"], months), week_fields]
    if len(weeks):
        by_week = weeks.pivot_table(
            index=["account_id", "month"], columns="week_of_month", values="revenue", aggfunc="sum"
        ).reindex(columns=list(WEEKS))
        by_week.columns = [f"revenue_w{w}" for w in WEEKS]
        parts.append(by_week.astype("float64"))
    orders = facts.orders_month
    if len(orders):
        columns = ["qty_ordered", "qty_filled", "lines", "lines_otif", "lines_requested"]
        rows = orders.loc[isin(orders["month"], months), ["account_id", "month", *columns]]
        parts.append(_indexed(rows, ["month"], columns))
    target = _monthly_targets(facts, months)
    if target is not None:
        parts.append(target)
    joined = pd.concat(parts, axis=1)
    joined.index.names = ["account_id", "month"]
    frame = by_view(joined, keys)
    for column in ("revenue_target", "qty_ordered", "qty_filled", "lines", "lines_otif", "lines_requested"):
        if column not in frame:
            frame[column] = np.nan
    frame["fill_rate"] = ratio(frame["qty_filled"], frame["qty_ordered"])
    frame["otif_rate"] = ratio(frame["lines_otif"], frame["lines_requested"])
    week_columns = [f"revenue_w{w}" for w in WEEKS]
    if week_columns[0] in frame:
        total = frame[week_columns].sum(axis=1, min_count=1)
        for w in WEEKS:
            frame[f"w{w}"] = ratio(frame[f"revenue_w{w}"], total)
        frame["revenue_weeks"] = total
    else:
        for w in WEEKS:
            frame[f"w{w}"] = np.nan
        frame["revenue_weeks"] = np.nan
    frame = frame.drop(columns=[c for c in week_columns if c in frame])
    return _every_month(frame, keys, months)


def _every_month(frame: pd.DataFrame, keys: Keys, months: list[str]) -> pd.DataFrame:
    """One row per view and month, months without any figure included (all missing)."""
    views = pd.DataFrame(
        [(level, k) for level, level_map in keys.items() for k in pd.unique(level_map.to_numpy())],
        columns=["level", "key"],
    )
    grid = views.merge(pd.DataFrame({"month": months}), how="cross")
    full = grid.merge(frame, on=["level", "key", "month"], how="left")
    return full.sort_values(["level", "key", "month"], ignore_index=True)


def _monthly_targets(facts: Facts, months: list[str]) -> pd.DataFrame | None:
    """Each account's target per month: its monthly target plus a third of its quarter's target."""
    targets = facts.targets
    if targets.empty:
        return None
    monthly_rows = targets[targets["month"].isin(months)][["account_id", "month", "revenue_target"]]
    quarters = pd.DataFrame({"month": months, "quarter": [quarter_of_month(m) for m in months]})
    quarterly = targets[targets["month"].isna()].drop(columns="month").merge(quarters, on="quarter")
    spread = quarterly.assign(revenue_target=quarterly["revenue_target"] / 3)[["account_id", "month", "revenue_target"]]
    rows = pd.concat([monthly_rows, spread], ignore_index=True)
    joined = rows.groupby(["account_id", "month"])["revenue_target"].sum(min_count=1)
    return joined.astype("float64").to_frame()


def reps(facts: Facts, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Visits of the quarter per view and rep: planned, completed, compliance, success, accounts visited."""
    visits = facts.visits
    # no promotions per rep: a promotion run is a spend record, which names no rep
    columns = ["visits", "planned", "completed", "planned_completed", "successful", "success_known", "displays"]
    if visits.empty:
        return pd.DataFrame(columns=["level", "key", "rep", *columns, "accounts_visited"])
    rows = visits[visits["quarter"] == str(period)].copy()
    rows["accounts_visited"] = (rows["completed"] > 0).astype("float64")
    frame = by_view(_indexed(rows, ["rep"], [*columns, "accounts_visited"]), keys)
    frame["visit_compliance"] = ratio(frame["planned_completed"], frame["planned"])
    frame["visit_success_rate"] = ratio(frame["successful"], frame["success_known"])
    return frame


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    """``share``: each row's revenue over its view's total."""
    total = frame.groupby(["level", "key"])["revenue"].transform("sum")
    frame["share"] = ratio(frame["revenue"], total)
    return frame


def mix(facts: Facts, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Revenue of the quarter per view, business group and category, with each one's share."""
    rows = facts.sales_mix
    if rows.empty:
        return pd.DataFrame(columns=["level", "key", "business_group", "category", "revenue", "share"])
    rows = rows[rows["quarter"] == str(period)]
    return _shares(by_view(_indexed(rows, ["business_group", "category"], ["revenue"]), keys))


def divisions(facts: Facts, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Revenue of the quarter per view and selling division, with each one's share."""
    rows = facts.sales_division
    if rows.empty:
        return pd.DataFrame(columns=["level", "key", "division", "revenue", "share"])
    rows = rows[rows["quarter"] == str(period)]
    return _shares(by_view(_indexed(rows, ["division"], ["revenue"]), keys))


def agreement(facts: Facts, keys: Keys, period: Quarter) -> pd.DataFrame:
    """The year's agreement per view against what was done so far, item by item.

    Columns level, key, item (the agreement column), committed, actual, progress,
    expected_ytd (the share of the year gone by the quarter's end), attainment_ytd (progress
    over expected: the KPI ``agreement_<item>_attainment_ytd``) and unit.  What was done
    counts for the accounts that committed to the item (:func:`~kamreport.kpi.commitments.agreement_ytd`).
    """
    columns = ["level", "key", "item", "committed", "actual", "progress", "expected_ytd", "attainment_ytd", "unit"]
    ytd = agreement_ytd(facts, period)
    if ytd.empty:
        return pd.DataFrame(columns=columns)
    elapsed = year_elapsed(period)
    parts = pd.DataFrame(index=ytd.index)
    for column, (done, _unit, _kpi) in AGREEMENT_ITEMS.items():
        parts[column] = ytd[column]
        parts[f"{column}_done"] = ytd[done].where(ytd[column].notna())
    summed = by_view(parts, keys)
    rows = []
    for column, (_done, unit, _kpi) in AGREEMENT_ITEMS.items():
        committed, actual = summed[column], summed[f"{column}_done"]
        rows.append(
            pd.DataFrame(
                {
                    "level": summed["level"],
                    "key": summed["key"],
                    "item": column,
                    "committed": committed,
                    "actual": actual,
                    "progress": ratio(actual, committed),
                    "expected_ytd": elapsed,
                    "attainment_ytd": ratio(actual, committed * elapsed),
                    "unit": unit,
                }
            )
        )
    order = {c: i for i, c in enumerate(AGREEMENT_ITEMS)}
    frame = pd.concat(rows, ignore_index=True)
    frame = frame.assign(_o=frame["item"].map(order)).sort_values(["level", "key", "_o"]).drop(columns="_o")
    return frame[columns].reset_index(drop=True)


def _current(table: pd.DataFrame, period: str, keys: Keys) -> pd.DataFrame:
    """The (period, level, key) KPI table's rows of ``period`` for the view keys, index (level, key)."""
    now = pd.DataFrame(table.xs(period, level="period"))
    wanted = [(level, k) for level, level_map in keys.items() for k in pd.unique(level_map.to_numpy())]
    return now.reindex(pd.MultiIndex.from_tuples(wanted, names=["level", "key"]))


def scorecard(table: pd.DataFrame, keys: Keys, period: Quarter, rag: Mapping[str, Rag] | None = None) -> pd.DataFrame:
    """The five indicators per view: value, target, vs target, last year, vs last year, the value RAG reads.

    The target is the indicator's target KPI (``revenue_target``, ``share_of_wallet_target`` …,
    :data:`~kamreport.registry.KPI_TARGETS`) where the view has one (``target_basis``
    ``target``); where it has none, the green threshold of the KPI its status reads
    (``report.rag``, passed as ``rag``) stands in its place (``target_basis`` ``threshold``,
    in that KPI's unit: ``target_unit``) — where that KPI has a value: without one (no demand,
    so no share change) the row has neither target nor basis.  ``vs_target`` is attainment for sales and, for the
    rates, the distance to the target (or threshold) in points.  Columns ``unit`` and
    ``change_unit`` give each row's units (money for sales, shares for the rest; growth for
    sales, points for the rest).  The RAG status itself is decided by the report.
    """
    thresholds = rag or {}
    now = _current(table, str(period), keys)
    periods = set(table.index.get_level_values("period").unique())
    year_before = str(period.prior_year)
    last_year = _current(table, year_before, keys) if year_before in periods else now * np.nan
    frames = []
    for position, (indicator, kpi, rag_kpi) in enumerate(SCORECARD):
        value = now[kpi]
        target = now[KPI_TARGETS[kpi]].astype("float64")
        has_target = target.notna()
        green = thresholds[rag_kpi].green if rag_kpi in thresholds else np.nan
        rag_points = 100.0 if KPI_BY_ID[rag_kpi].unit == "share" else 1.0
        if kpi == "revenue":
            prior, change = now["revenue_py"], now["growth_yoy"]
            to_target = now["attainment"]
            to_threshold = now["attainment"] * np.nan
        else:
            prior = last_year[kpi]
            change = 100 * (value - prior)
            to_target = 100 * (value - target)
            to_threshold = rag_points * (now[rag_kpi] - green)
        # a threshold stands in only where the status has a value to read (no share, no threshold)
        stands_in = now[rag_kpi].notna() & (rag_kpi in thresholds)
        fallback = pd.Series("threshold", index=now.index, dtype=object).where(stands_in, None)
        basis = pd.Series("target", index=now.index, dtype=object).where(has_target, fallback)
        frames.append(
            pd.DataFrame(
                {
                    "order": position,
                    "indicator": indicator,
                    "kpi_id": kpi,
                    "value": value,
                    "target": target.where(has_target, pd.Series(green, index=now.index).where(stands_in)),
                    "target_basis": basis,
                    "target_unit": np.where(has_target, KPI_BY_ID[kpi].unit, KPI_BY_ID[rag_kpi].unit),
                    "vs_target": to_target.where(has_target, to_threshold),
                    "prior_year": prior,
                    "vs_prior_year": change,
                    "rag_kpi": rag_kpi,
                    "rag_value": now[rag_kpi],
                    "unit": KPI_BY_ID[kpi].unit,
                    "change_unit": "share" if kpi == "revenue" else "pp",
                },
                index=now.index,
            )
        )
    frame = pd.concat(frames).reset_index().sort_values(["level", "key", "order"], kind="stable")
    return frame.drop(columns="order").reset_index(drop=True)


def bridge(table: pd.DataFrame, keys: Keys, period: Quarter) -> pd.DataFrame:
    """Revenue → revenue without cost → cost → gross profit → trade spend → contribution, per view.

    Steps are signed so that each subtotal is the sum of the steps above it; ``kind`` says
    which rows are totals.  The step of revenue without cost data appears only where there is some.
    """
    now = _current(table, str(period), keys)
    revenue, gross_profit, cost = now["revenue"], now["gross_profit"], now["cost"]
    unknown = revenue - (gross_profit + cost)
    steps = {
        "revenue": (revenue, "total"),
        "unknown_cost": (-unknown, "step"),
        "cost": (-cost, "step"),
        "gross_profit": (gross_profit, "total"),
        "spend": (-now["trade_spend"], "step"),
        "contribution": (now["contribution"], "total"),
    }
    frames = [
        pd.DataFrame({"order": i, "step": step, "value": values, "kind": kind}, index=now.index)
        for i, (step, (values, kind)) in enumerate(steps.items())
    ]
    frame = pd.concat(frames).reset_index()
    # the unknown-cost step is shown when it is more than rounding next to revenue
    scale = frame.set_index(["level", "key"]).index.map(revenue.abs().fillna(0).to_dict())
    shown: pd.Series = (frame["step"] != "unknown_cost") | (
        frame["value"].abs() > 1e-6 * np.maximum(np.asarray(scale), 1.0)
    )
    frame = frame[shown.to_numpy()]
    return frame.sort_values(["level", "key", "order"], kind="stable").drop(columns="order").reset_index(drop=True)
