"""The eight-stage funnel and its health against a benchmark (docs/kpis.md, "Funnel and its health").

Open opportunities are summed per stage through the same roll-up as the KPIs (account →
group → region → company), so each opportunity is counted exactly once at every level; at
the owner level, as in the KPIs, they count for their own owner.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.kpi.base import isin
from kamreport.kpi.engine import LEVELS, level_keys, rollup
from kamreport.params import FunnelParams

OPEN_STAGES: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
FUNNEL_COLUMNS = ["level", "key", "stage", "count", "amount", "weighted", "benchmark", "health", "status"]


def stage_components(opportunities: pd.DataFrame, keys: pd.Index, by: str = "account_id") -> pd.DataFrame:
    """Count, amount and weighted amount of open opportunities at each stage, per key.

    ``keys`` are account_ids (``by="account_id"``) or the opportunities' own owners (``by="owner"``).
    """
    open_ = opportunities[opportunities["status"] == "open"]
    columns = {}
    for stage in OPEN_STAGES:
        rows = open_[open_["stage"] == stage].groupby(by)
        columns[f"count_{stage}"] = rows.size()
        columns[f"amount_{stage}"] = rows["amount"].sum()
        columns[f"weighted_{stage}"] = rows["weighted_amount"].sum()
    frame = pd.DataFrame(columns).reindex(keys).astype("float64").fillna(0.0)
    frame.index.name = by
    return frame


def funnel_health(
    opportunities: pd.DataFrame,
    accounts: pd.DataFrame,
    next_quarter_target: dict[str, pd.Series],
    params: FunnelParams,
    levels: tuple[str, ...] = LEVELS,
) -> pd.DataFrame:
    """One row per level, key and open stage: current count / amount, benchmark, health and status.

    Parameters
    ----------
    opportunities
        Scored opportunities (with ``weighted_amount``).
    accounts
        Accounts in scope.
    next_quarter_target
        Level → Series (key → next-quarter target of that level).
    params
        Coverage ratios, explicit benchmark amounts and the health thresholds.
    """
    in_scope = opportunities[isin(opportunities["account_id"], accounts["account_id"])]
    components = stage_components(in_scope, pd.Index(accounts["account_id"]))
    parts = []
    for level in levels:
        keys = level_keys(accounts, level)
        if keys.empty:
            continue
        if level == "owner":
            owners = sorted({*keys.dropna().astype(str), *in_scope["owner"].dropna().astype(str)})
            summed = stage_components(in_scope, pd.Index(owners, name="key"), by="owner").rename_axis("key")
        else:
            summed = rollup(components, keys)
        target = next_quarter_target.get(level, pd.Series(dtype="float64")).reindex(summed.index)
        keys_text = [_amount_key(level, key) for key in summed.index] if params.benchmark_amounts else []
        for stage in OPEN_STAGES:
            benchmark = params.coverage_ratios.get(stage, np.nan) * target
            if keys_text:
                explicit = [params.benchmark_amounts.get(k, {}).get(stage) for k in keys_text]
                benchmark = pd.Series(explicit, index=summed.index, dtype="float64").fillna(benchmark)
            parts.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "key": summed.index,
                        "stage": stage,
                        "count": summed[f"count_{stage}"].to_numpy(),
                        "amount": summed[f"amount_{stage}"].to_numpy(),
                        "weighted": summed[f"weighted_{stage}"].to_numpy(),
                        "benchmark": benchmark.to_numpy(),
                    }
                )
            )
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FUNNEL_COLUMNS)
    benchmark = frame["benchmark"].astype("float64")
    frame["health"] = frame["amount"] / benchmark.where(benchmark > 0)
    frame["status"] = health_status(frame["health"], params)
    return frame[FUNNEL_COLUMNS]


def _amount_key(level: str, key: str) -> str:
    return "company" if level == "company" else f"{level}:{key}"


def health_status(health: pd.Series, params: FunnelParams) -> pd.Series:
    """Excellent ≥ ``params.excellent``, good ≥ ``params.good``, else warning; missing stays missing."""
    status = np.select([health >= params.excellent, health >= params.good], ["excellent", "good"], default="warning")
    return pd.Series(status, index=health.index, dtype="string").where(health.notna())
