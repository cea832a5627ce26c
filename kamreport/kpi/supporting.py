"""Supporting indicators (docs/kpis.md, "Supporting indicators").

Sales rhythm, promotions, forecast accuracy, receivables, won business and pipeline.

Opportunities have one primary owner: at the ``owner`` level they count for that owner
(:data:`OPPORTUNITIES`, keyed by the opportunity's ``owner``), at every other level
for their account's key — so each opportunity counts once at every level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.facts import AGING_BUCKETS
from kamreport.kpi.base import INDEX, KpiContext, OwnedRows, isin, period_days, ratio
from kamreport.params import KpiParams
from kamreport.periods import quarter_labels

OPPORTUNITY_COMPONENTS = ("won_amount", "won_count", "closed_count", "pipeline_amount", "weighted_pipeline")
_PIPELINE = ("pipeline_amount", "weighted_pipeline")
_RECEIVABLES = ("ar_open", "ar_overdue", "ar_not_due", *AGING_BUCKETS)


def components(ctx: KpiContext) -> pd.DataFrame:
    """Rhythm, promotion, forecast, receivable and opportunity components per account."""
    facts = ctx.facts
    frame = {"last_week_revenue": ctx.by_account(facts.sales_month, "last_week_revenue")}
    frame.update(_promotions(ctx))
    frame.update(_forecast(ctx))
    frame.update(_receivables(ctx))
    frame.update(OPPORTUNITIES.by_account(ctx))
    frame["next_quarter_target"] = next_quarter_target(ctx)
    return pd.DataFrame(frame)


def _promotions(ctx: KpiContext) -> dict[str, pd.Series]:
    """Promotions run (spend records of type promotion, by the quarter they start) and their lead times."""
    names = ("promotions", "promo_with_lead", "promo_on_time")
    if not ctx.facts.has("spend"):
        return {n: ctx.missing() for n in names}
    leads = ctx.facts.promo_leads
    if leads.empty:
        return {n: ctx.zeros() for n in names}
    known = leads["n"].where(leads["lead_days"].notna(), 0)
    on_time = known.where(leads["lead_days"] >= ctx.params.promo_on_time_lead_days, 0)
    counted = leads.assign(n_known=known, n_on_time=on_time)
    return {
        "promotions": ctx.by_account(counted, "n"),
        "promo_with_lead": ctx.by_account(counted, "n_known"),
        "promo_on_time": ctx.by_account(counted, "n_on_time"),
    }


def _forecast(ctx: KpiContext) -> dict[str, pd.Series]:
    forecast = ctx.by_account(ctx.facts.forecasts, "forecast", fill=None)
    revenue = ctx.by_account(ctx.facts.sales_month, "revenue")
    has = forecast.notna()
    return {
        "forecast": forecast,
        "forecast_abs_error": (revenue - forecast).abs().where(has),
        "forecast_revenue": revenue.where(has),
    }


def _receivables(ctx: KpiContext) -> dict[str, pd.Series]:
    """Receivables at each quarter's last day; credit use only over the accounts that have a limit."""
    limit = ctx.per_account(ctx.accounts.set_index("account_id")["credit_limit"].astype("float64"))
    if not ctx.facts.has("receivables"):
        return {**{n: ctx.missing() for n in _RECEIVABLES}, "ar_open_limited": ctx.missing(), "credit_limit": limit}
    ar = ctx.facts.receivables
    frame = {n: ctx.by_account(ar, n) for n in _RECEIVABLES}
    frame["ar_open_limited"] = frame["ar_open"].where(limit.notna())
    frame["credit_limit"] = limit
    return frame


def next_quarter_target(ctx: KpiContext) -> pd.Series:
    """The next-quarter target component: each account's, in the run's period only."""
    if ctx.next_quarter_target is None:
        return ctx.missing()
    return ctx.only_current(ctx.per_account(ctx.next_quarter_target))


def opportunity_rows(ctx: KpiContext) -> pd.DataFrame | None:
    """One row per opportunity of the accounts in scope, with its quarter and its components.

    Won and lost opportunities count in the quarter of their ``close_date``; the pipeline is
    the open ones expected to close in NQ, counted in the run's period only (the opportunity
    table is today's snapshot).  ``None`` when the company has no opportunities.
    """
    if not ctx.facts.has("opportunities"):
        return None
    opps = ctx.facts.opportunities
    opps = opps[isin(opps["account_id"], ctx.accounts["account_id"])]
    closed = opps.assign(
        quarter=quarter_labels(opps["close_date"]),
        won_amount=opps["amount"].where(opps["status"] == "won", 0.0),
        won_count=(opps["status"] == "won").astype("float64"),
        closed_count=opps["status"].isin(["won", "lost"]).astype("float64"),
    )
    nq = str(ctx.current.next)
    pipeline = opps[(opps["status"] == "open") & (quarter_labels(opps["expected_close"]) == nq).fillna(False)]
    probability = np.asarray(ctx.stage_probability)[pipeline["stage"].astype(int).to_numpy() - 1]
    pipeline = pipeline.assign(
        quarter=str(ctx.current),
        pipeline_amount=pipeline["amount"].astype("float64"),
        weighted_pipeline=pipeline["amount"].to_numpy() * probability,
    )
    columns = ["quarter", "account_id", "owner", *OPPORTUNITY_COMPONENTS]
    return (
        pd.concat([closed, pipeline], ignore_index=True)
        .reindex(columns=columns)
        .astype({c: "float64" for c in OPPORTUNITY_COMPONENTS})
    )


# Opportunities count for their own owner at the owner level (issue 14).
OPPORTUNITIES = OwnedRows(opportunity_rows, OPPORTUNITY_COMPONENTS, _PIPELINE)


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "last_week_share": "revenue booked on day {kpi.last_week_first_day} or later of each month of P / `revenue`",
    "unbalanced": "1 when `last_week_share` > {kpi.unbalanced_last_week_share}, else 0 "
    "(at a level: from the level's own `last_week_share`)",
    "promotions": "promotions run: spend rows of type `promotion` whose `start_date` is in P (their `date`, "
    "when no start is given); the visit log's `promotions` column is not counted",
    "promo_lead_days_median": "median of (`start_date` − `submitted_date`) in days over those promotions "
    "(at a level: over all its promotions, not a median of medians)",
    "promo_on_time_share": "promotions with a lead time of at least {kpi.promo_on_time_lead_days} days / "
    "promotions whose lead time is known",
    "forecast": "Σ `forecasts.forecast_revenue` of the latest `version` of the account-level `commit` rows for "
    "P; missing for an account without a forecast",
    "forecast_accuracy": "1 − Σ_a |revenue_a − forecast_a| / Σ_a revenue_a over the accounts with a forecast, "
    "floored at 0; missing when that revenue is ≤ 0",
    "forecast_bias": "(Σ_a forecast_a − Σ_a revenue_a) / Σ_a revenue_a over the accounts with a forecast: "
    "above 0 the forecast was too high; missing when that revenue is ≤ 0",
    "ar_open": "Σ `receivables.amount` of invoices issued on or before P's last day and not paid by it",
    "ar_overdue": "the part of `ar_open` whose `due_date` is before P's last day",
    "ar_not_due": "the part of `ar_open` due on or after P's last day",
    "ar_aging_0_30": "the part of `ar_open` 1 to 30 days past its `due_date` at P's last day "
    "(not-yet-due receivables are `ar_not_due`, not here)",
    "ar_aging_31_60": "the part of `ar_open` 31 to 60 days past due at P's last day",
    "ar_aging_61_90": "the part of `ar_open` 61 to 90 days past due at P's last day",
    "ar_aging_over_90": "the part of `ar_open` more than 90 days past due at P's last day; "
    "the four buckets sum to `ar_overdue`",
    "overdue_ratio": "`ar_overdue` / `ar_open`",
    "dso_days": "`ar_open` / `revenue` × days in P; missing when `revenue` ≤ 0",
    "credit_utilization": "Σ `ar_open` / Σ `accounts.credit_limit`, both over the accounts that have a limit "
    "(an account without one counts in neither)",
    "won_amount": "Σ `amount` of opportunities won with `close_date` in P (at the owner level, those of the "
    "opportunity's own `owner`; elsewhere those of the level's accounts)",
    "win_rate": "opportunities won / opportunities won or lost, by `close_date` in P",
    "pipeline_amount": "Σ `amount` of open opportunities with `expected_close` in NQ; the opportunities table "
    "is today's snapshot, so only the run's period has a pipeline",
    "weighted_pipeline": "Σ `amount` × win probability of the opportunity's stage "
    "({planning.funnel.stage_probability} for stages 1..8)",
    "next_quarter_target": "the next-quarter target (below); only the run's period has one",
    "pipeline_coverage": "`pipeline_amount` / `next_quarter_target` (at the owner level: the owner's own "
    "opportunities over the target of the accounts the owner holds)",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The supporting ids from (summed) components (the median lead time is in :func:`lead_days_median`)."""
    last_week = ratio(c["last_week_revenue"], c["revenue"])
    forecast_revenue = c["forecast_revenue"].where(c["forecast_revenue"] > 0)
    accuracy = 1 - c["forecast_abs_error"] / forecast_revenue
    median = c["promo_lead_days_median"] if "promo_lead_days_median" in c else pd.Series(np.nan, index=c.index)
    revenue = c["revenue"].where(c["revenue"] > 0)
    return {
        "last_week_share": last_week,
        "unbalanced": (last_week > params.unbalanced_last_week_share).astype("float64").where(last_week.notna()),
        "promotions": c["promotions"],
        "promo_lead_days_median": median,
        "promo_on_time_share": ratio(c["promo_on_time"], c["promo_with_lead"]),
        "forecast": c["forecast"],
        "forecast_accuracy": accuracy.clip(lower=0),
        "forecast_bias": ratio(
            c["forecast"] - c["forecast_revenue"], c["forecast_revenue"].where(c["forecast_revenue"] > 0)
        ),
        **{n: c[n] for n in _RECEIVABLES},
        "overdue_ratio": ratio(c["ar_overdue"], c["ar_open"]),
        "dso_days": ratio(c["ar_open"], revenue) * period_days(c.index),
        "credit_utilization": ratio(c["ar_open_limited"], c["credit_limit"]),
        "won_amount": c["won_amount"],
        "win_rate": ratio(c["won_count"], c["closed_count"]),
        "pipeline_amount": c["pipeline_amount"],
        "weighted_pipeline": c["weighted_pipeline"],
        "next_quarter_target": c["next_quarter_target"],
        "pipeline_coverage": ratio(c["pipeline_amount"], c["next_quarter_target"]),
    }


def lead_days_median(ctx: KpiContext, keys: pd.Series) -> pd.Series:
    """Median promotion lead time per (period, key) (``keys``: account_id → key), over every promotion.

    A median cannot be summed, so it is taken over the promotions of each group directly.
    """
    empty = pd.Series(dtype="float64", index=pd.MultiIndex.from_arrays([[], []], names=[INDEX[0], "key"]))
    if not ctx.facts.has("spend") or ctx.facts.promo_leads.empty:
        return empty
    leads = ctx.facts.promo_leads
    periods = [str(q) for q in ctx.quarters]
    rows = leads[leads["quarter"].isin(periods) & leads["lead_days"].notna() & isin(leads["account_id"], keys.index)]
    expanded = rows.loc[rows.index.repeat(rows["n"].astype(int)), ["quarter", "account_id", "lead_days"]]
    expanded["key"] = expanded["account_id"].map(keys)
    median = expanded.groupby(["quarter", "key"])["lead_days"].median().astype("float64")
    median.index.names = [INDEX[0], "key"]
    return median
