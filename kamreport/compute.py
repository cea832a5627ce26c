"""The compute stage: facts in, every KPI and the account plan out (pure, no I/O).

It sits above ``kpi`` and ``planning`` and wires them in the order the definitions need:
tiers (which set the visit policy and the key accounts) → KPIs of every trend quarter →
positions and targets → the next-quarter target (which pipeline coverage and the funnel
benchmark use) → the KPIs of every level → funnel, scores, the owner scorecard, the
exceptions by money at stake and the recommended actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from kamreport.facts import Facts
from kamreport.kpi import plan_series, series, supporting
from kamreport.kpi.base import KpiContext, isin
from kamreport.kpi.engine import account_components, evaluate, kpi_table, to_long, wide
from kamreport.params import RunParams
from kamreport.periods import Quarter
from kamreport.planning import (
    actions,
    exceptions,
    funnel,
    opportunities,
    positioning,
    review,
    scorecard,
    stages,
    targets,
    tiers,
)
from kamreport.records import InputFile, StageTimes, TableReport
from kamreport.registry import KPI_IDS, PROFILE_COLUMNS


@dataclass
class Results:
    """Everything the reports show, computed once per run.

    ``kpis`` (long, as kpis.csv) holds every trend quarter of the owner, group, region and
    company levels and the run's period of the accounts; ``history`` holds every account's
    KPIs in every trend quarter, wide (period, account_id, one column per KPI id —
    kpis_history.parquet).  ``owner_scorecard``, ``exceptions`` and ``over_credit_limit`` are
    described in :mod:`kamreport.planning.scorecard` and :mod:`kamreport.planning.exceptions`.
    """

    period: str
    kpis: pd.DataFrame
    history: pd.DataFrame
    accounts: pd.DataFrame
    opportunities: pd.DataFrame
    funnel: pd.DataFrame
    actions: pd.DataFrame
    positions: pd.DataFrame
    # what the report chapters show beyond the KPI table, per view (kamreport.kpi.series)
    scorecard: pd.DataFrame
    bridge: pd.DataFrame
    monthly: pd.DataFrame
    reps: pd.DataFrame
    mix: pd.DataFrame
    divisions: pd.DataFrame
    agreement: pd.DataFrame
    owner_scorecard: pd.DataFrame
    exceptions: pd.DataFrame
    over_credit_limit: pd.DataFrame
    # the plans of record (kamreport.kpi.plan_series): lists of the accounts in scope, figures per view
    objectives: pd.DataFrame
    promotions: pd.DataFrame
    bids: pd.DataFrame
    open_bids: pd.DataFrame
    forecast_hierarchy: pd.DataFrame
    segments: pd.DataFrame
    _tables: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)
    _series: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)
    # account_id → its rows' positions in ``history`` (a plan reads its account's trend without a scan)
    _history_rows: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    def kpi_table(self, level: str, period: str | None = None) -> pd.DataFrame:
        """One level's KPIs for a period (default the run's) as key × KPI id (built once, then reused)."""
        key = (level, period or self.period)
        if key not in self._tables:
            if level == "account":
                rows = self.history[self.history["period"] == key[1]]
                table = rows.set_index("account_id")[list(KPI_IDS)]
                table.index = table.index.astype(str).rename("key")
                self._tables[key] = table
            else:
                self._tables[key] = wide(self.kpis, *key)
        return self._tables[key]

    def kpi_series(self, level: str, key: str) -> pd.DataFrame:
        """One level key's KPIs in every trend quarter (period × KPI id)."""
        if level == "account":
            if not self._history_rows:
                groups = self.history.groupby("account_id", sort=False, observed=True).indices
                self._history_rows.update((str(k), np.asarray(v)) for k, v in groups.items())
            rows = self.history.iloc[self._history_rows.get(key, np.array([], dtype=np.intp))]
            return rows.set_index("period")[list(KPI_IDS)].sort_index()
        if not self._series:
            others = self.kpis[self.kpis["level"] != "account"]
            for (lvl, k), rows in others.groupby(["level", "key"], sort=False, observed=True):
                table = rows.pivot(index="period", columns="kpi", values="value").sort_index()
                table.columns.name = None
                self._series[(str(lvl), str(k))] = table
        return self._series.get((level, key), pd.DataFrame())


@dataclass
class Computed:
    """A run's data: its results, facts, what validation found, and the inputs it read."""

    params: RunParams
    facts: Facts
    results: Results
    quality: pd.DataFrame
    reports: list[TableReport]
    inputs: list[InputFile]
    key: str
    computed_at: str = ""
    reused: bool = False
    times: StageTimes = field(default_factory=StageTimes)


def scoped_accounts(accounts: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The accounts of the run's regions (all when none are named)."""
    if not regions:
        return accounts.reset_index(drop=True)
    return accounts[accounts["region"].isin(regions)].reset_index(drop=True)


def compute(facts: Facts, params: RunParams) -> Results:
    """Every KPI at every level for the trend quarters, and the planning frames of the run's period."""
    scope = scoped_accounts(facts.accounts, params.regions)
    ids = pd.Index(scope["account_id"].astype("string"), name="account_id")
    period = params.quarter
    indexed = scope.set_index("account_id")
    closed = indexed["status"].eq("closed").fillna(False).astype(bool).reindex(ids)

    quarters = tuple(period.trailing(params.kpi.trend_quarters))
    tiered = {q: _tiers(facts, ids, indexed["region"], q, params) for q in {*quarters, period.prev}}
    potential = indexed["potential_monthly"].reindex(ids)
    key = {q: review.key_accounts(t["tier"], potential, closed, params.planning.key_account) for q, t in tiered.items()}
    required = pd.concat(
        {str(q): tiers.required_visits(tiered[q]["tier"], params.kpi.visits_required) for q in quarters},
        names=["period", "account_id"],
    )
    base_ctx = KpiContext(
        facts,
        quarters,
        scope,
        params.kpi,
        required_visits=required,
        key_accounts=pd.concat({str(q): key[q].astype("float64") for q in quarters}, names=["period", "account_id"]),
        stage_probability=params.planning.funnel.stage_probability,
    )
    components = account_components(base_ctx)
    by_account = evaluate(components, params.kpi)
    current = _quarter_rows(by_account, period, ids)
    previous = _quarter_rows(by_account, period.prev, ids) if period.prev in quarters else current * float("nan")

    plan = _plan(facts, scope, ids, closed, tiered, key, current, previous, period, params)
    relationship = params.planning.relationship
    ctx = replace(base_ctx, next_quarter_target=_next_quarter_target(facts, plan, period))
    # only the next-quarter target was unknown before planning: set it, keep every other component
    components["next_quarter_target"] = supporting.next_quarter_target(ctx)
    table = kpi_table(ctx, components=components)
    current_rows = table.xs(str(period), level="period")
    nq_target = {
        str(level): rows.droplevel("level")["next_quarter_target"]
        for level, rows in current_rows.groupby(level="level", sort=False)
    }
    account_kpis = pd.DataFrame(current_rows.xs("account", level="level")).reindex(ids)
    rule_rows = plan.drop(columns=[c for c in plan.columns if c in account_kpis.columns]).join(account_kpis)
    plan["relationship_stage"] = stages.classify(rule_rows, relationship.stages, relationship.stage_otherwise)
    key_accounts = set(plan.index[plan["key_account"].astype(bool)])
    levels = table.index.get_level_values("level")
    periods = table.index.get_level_values("period")
    # kpis.csv: every trend quarter above the accounts, the run's period of the accounts;
    # the accounts' history stays wide (kpis_history.parquet)
    keep = np.asarray((levels != "account") | (periods == str(period)), dtype=bool)
    long = to_long(table[keep]).sort_values(["period", "level", "key", "kpi"], ignore_index=True)
    history = table[np.asarray(levels == "account", dtype=bool)].droplevel("level")
    history = history.rename_axis(["period", "account_id"]).reset_index()
    views = series.view_keys(scope, key_accounts)
    # an account manager's e-mail (kamreport mail) summarises their accounts: scorecard and months
    summarised = {**views, **series.view_keys(scope, key_accounts, ("owner",))}
    region_views = {level: views[level] for level in ("company", "region")}
    scored = _scored_opportunities(facts, ids, params)
    funnel_frame = funnel.funnel_health(scored, scope, nq_target, params.planning.funnel) if len(scored) else None
    has_groups = "group" in set(levels.unique())
    group_kpis = pd.DataFrame(current_rows.xs("group", level="level")) if has_groups else pd.DataFrame()
    recommended = _actions(plan, account_kpis, group_kpis, scored, period, params)
    level_rows = rule_rows.assign(
        relationship_stage=plan["relationship_stage"], action_count=stages.action_counts(recommended, ids)
    )
    plan["planning_level"] = stages.classify(level_rows, relationship.levels, relationship.level_otherwise)
    plan_views = {level: views[level] for level in ("company", "region")}
    bids = plan_series.bid_list(facts, ids, period)
    return Results(
        period=str(period),
        kpis=long,
        history=history,
        accounts=plan.reset_index(),
        opportunities=scored,
        funnel=funnel_frame if funnel_frame is not None else pd.DataFrame(columns=funnel.FUNNEL_COLUMNS),
        actions=recommended,
        positions=_position_history(by_account, params),
        scorecard=series.scorecard(table, summarised, period, params.report.rag),
        bridge=series.bridge(table, views, period),
        monthly=series.monthly(facts, summarised, period),
        reps=series.reps(facts, region_views, period),
        mix=series.mix(facts, views, period),
        divisions=series.divisions(facts, views, period),
        agreement=series.agreement(facts, views, period),
        owner_scorecard=scorecard.owner_scorecard(ctx, components, params.planning.kam_capacity),
        exceptions=exceptions.exceptions(plan, account_kpis, facts.has("visits")),
        over_credit_limit=exceptions.over_credit_limit(plan, account_kpis),
        objectives=plan_series.objective_list(facts, ids, period),
        promotions=plan_series.promotion_list(facts, ids, period, params.kpi.promo_on_time_lead_days),
        bids=bids,
        open_bids=plan_series.open_bids(bids, plan_views),
        forecast_hierarchy=plan_series.forecast_hierarchy(facts, scope, [str(q) for q in quarters]),
        segments=plan_series.segments(components, scope, plan_views, period),
    )


def _quarter_rows(by_account: pd.DataFrame, quarter: Quarter, ids: pd.Index) -> pd.DataFrame:
    """One quarter's rows of a (period, account_id) frame, indexed by account_id."""
    rows = by_account[by_account.index.get_level_values("period") == str(quarter)]
    return rows.droplevel("period").reindex(ids)


def _tiers(facts: Facts, ids: pd.Index, region: pd.Series, q: Quarter, params: RunParams) -> pd.DataFrame:
    revenue = tiers.revenue_t4q(facts.sales_month, ids, q)
    return tiers.assign_tiers(revenue, params.planning.tiers, region)


def _plan(
    facts: Facts,
    scope: pd.DataFrame,
    ids: pd.Index,
    closed: pd.Series,
    tiered: dict[Quarter, pd.DataFrame],
    key: dict[Quarter, pd.Series],
    current: pd.DataFrame,
    previous: pd.DataFrame,
    period: Quarter,
    params: RunParams,
) -> pd.DataFrame:
    """The planning table of accounts.csv (plus profile columns), index account_id."""
    planning = params.planning
    indexed = scope.set_index("account_id").reindex(ids)
    tier_now, tier_pq = tiered[period], tiered[period.prev]
    potential = indexed["potential_monthly"]
    key_now, key_pq = key[period], key[period.prev]
    position = positioning.position(current["share_of_wallet"], current["share_change_pp"], planning.positions)
    position_pq = positioning.position(previous["share_of_wallet"], previous["share_change_pp"], planning.positions)

    revenue = pd.DataFrame(
        {
            "p": current["revenue"],
            "pq": _revenue(facts, ids, period.prev),
            "p2": _revenue(facts, ids, period.shift(-2)),
        }
    )
    plan_targets = targets.decompose(revenue, position, current["demand"], indexed["region"], closed, planning.targets)
    attack = key_now & (position == "attack").fillna(False)
    order = planning.key_account.competitor_tier_order
    plan = pd.DataFrame(
        {
            "account_name": indexed["account_name"],
            "region": indexed["region"],
            "owner": indexed["owner"],
            "group_id": indexed["group_id"],
            "revenue": current["revenue"],
            "revenue_t4q": tier_now["revenue_t4q"],
            "tier": tier_now["tier"],
            "key_account": key_now,
            "key_account_pq": key_pq,
            "review": review.review(key_now, key_pq),
            "share_of_wallet": current["share_of_wallet"],
            "share_change_pp": current["share_change_pp"],
            "position": position,
            "position_pq": position_pq,
            "base": plan_targets["base"],
            "target_nq": plan_targets["target_nq"],
            "target_nq_reconciled": plan_targets["target_nq_reconciled"],
            "priority": review.attack_priority(attack, indexed["competitor_tier"], potential, order, indexed["region"]),
        },
        index=ids,
    )
    extras = pd.DataFrame(
        {
            "tier_pq": tier_pq["tier"],
            "rank": tier_now["rank"],
            "cum_before": tier_now["cum_before"],
            "demand": current["demand"],
            "revenue_pq": revenue["pq"],
            "revenue_p2": revenue["p2"],
            "market_growth": plan_targets["market_growth"],
            "capture": plan_targets["capture"],
            "reconcile_factor": plan_targets["reconcile_factor"],
            "share_of_wallet_pq": current["share_of_wallet_pq"],
            "share_change_qoq_pp": current["share_change_qoq_pp"],
            "share_change_qoq_value": current["share_change_qoq_pp"] / 100 * current["demand"],
            "material": _material(current, indexed["region"], params.report.materiality),
            "priority_company": review.attack_priority(attack, indexed["competitor_tier"], potential, order),
            "history_quarters": stages.history_quarters(facts.sales_month, ids, period),
        },
        index=ids,
    )
    return pd.concat([plan, extras, indexed[list(PROFILE_COLUMNS)]], axis=1)


def _revenue(facts: Facts, ids: pd.Index, q: Quarter) -> pd.Series:
    rows = facts.sales_month.loc[facts.sales_month["quarter"] == str(q), ["account_id", "revenue"]]
    return rows.groupby("account_id")["revenue"].sum().astype("float64").reindex(ids).fillna(0.0)


def _next_quarter_target(facts: Facts, plan: pd.DataFrame, period: Quarter) -> pd.Series:
    """Targets for NQ where the targets table has rows for NQ, else the reconciled plan targets."""
    nq = str(period.next)
    given = facts.targets[facts.targets["quarter"] == nq] if not facts.targets.empty else facts.targets
    if len(given):
        return given.groupby("account_id")["revenue_target"].sum().astype("float64").reindex(plan.index)
    return plan["target_nq_reconciled"].astype("float64")


def _scored_opportunities(facts: Facts, ids: pd.Index, params: RunParams) -> pd.DataFrame:
    if not facts.has("opportunities") or facts.opportunities.empty:
        return pd.DataFrame()
    in_scope = facts.opportunities[isin(facts.opportunities["account_id"], ids)]
    return opportunities.score(in_scope, params.planning.opportunities, params.planning.funnel)


def _material(current: pd.DataFrame, region: pd.Series, materiality: float) -> pd.Series:
    """An account whose revenue now or a year ago reaches ``materiality`` of its region's revenue this quarter."""
    revenue = current["revenue"].astype("float64")
    regional = revenue.groupby(region.reindex(revenue.index).to_numpy()).transform("sum")
    flags = exceptions.material(revenue, current["revenue_py"], regional, materiality)
    return pd.Series(flags, index=revenue.index, dtype=bool)


def _actions(
    plan: pd.DataFrame,
    account_kpis: pd.DataFrame,
    group_kpis: pd.DataFrame,
    scored: pd.DataFrame,
    period: Quarter,
    params: RunParams,
) -> pd.DataFrame:
    """The recommended actions of the key accounts, the group customers and the opportunities in scope."""
    key = plan[plan["key_account"]]
    columns = key.drop(columns=[c for c in key.columns if c in account_kpis.columns])
    frames = {"account": columns.join(account_kpis), "group": _group_rows(plan, group_kpis)}
    if len(scored):
        frames["opportunity"] = _opportunity_rows(plan, scored, period)
    return actions.recommend(frames, params.planning.actions, params.report.currency)


def _group_rows(plan: pd.DataFrame, group_kpis: pd.DataFrame) -> pd.DataFrame:
    """One row per group customer: its KPIs of the run's period, its sites and its key sites."""
    groups = plan.dropna(subset=["group_id"]).groupby("group_id")
    frame = group_kpis.copy()
    frame["sites"] = groups.size().reindex(frame.index).astype("float64")
    frame["key_sites"] = groups["key_account"].sum().reindex(frame.index).astype("float64")
    frame.index.name = "group_id"
    return frame


def _opportunity_rows(plan: pd.DataFrame, scored: pd.DataFrame, period: Quarter) -> pd.DataFrame:
    """The scored opportunities, with their account's name and region and the days past their expected close."""
    frame = scored.set_index("opportunity_id")
    expected = pd.to_datetime(frame["expected_close"])
    frame["days_overdue"] = (pd.Timestamp(period.end) - expected).dt.days.astype("float64")
    frame["expected_close"] = expected.dt.strftime("%Y-%m-%d")
    frame["account_name"] = frame["account_id"].map(plan["account_name"])
    frame["region"] = frame["account_id"].map(plan["region"])
    frame["group_id"] = frame["account_id"].map(plan["group_id"])
    return frame


def _position_history(by_account: pd.DataFrame, params: RunParams) -> pd.DataFrame:
    """Each account's position in every trend quarter (long: account_id, period, position)."""
    pos = positioning.position(by_account["share_of_wallet"], by_account["share_change_pp"], params.planning.positions)
    frame = pos.rename("position").reset_index()
    return frame[["account_id", "period", "position"]].sort_values(["account_id", "period"], ignore_index=True)
