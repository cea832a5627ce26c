"""Exceptions by money at stake: what a manager should look at first, largest amount first.

One row per account and kind, for the run's period, with the amount at stake and the figures
behind it.  Kinds, in the order reports show them, and their amount:

- ``share_lost`` — share of wallet fell on a year ago: the points lost × the customer's demand;
- ``revenue_falling`` — revenue below a year ago: revenue last year − revenue now;
- ``fill_rate_miss`` — quantity ordered but not delivered, valued at the account's average
  unit price of the quarter (``unfilled_value``);
- ``overdue_receivables`` — open receivables past their due date (``ar_overdue``);
- ``key_not_visited`` — a key account with no completed visit this quarter: its revenue.

A report keeps the rows of its own *material* accounts — revenue now or a year ago at least
``report.materiality`` of the report's quarterly revenue — largest amount first
(:func:`in_scope`), so a customer who ordered seven units never heads a list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.kpi.base import isin

EXCEPTION_KINDS: tuple[str, ...] = (
    "share_lost",
    "revenue_falling",
    "fill_rate_miss",
    "overdue_receivables",
    "key_not_visited",
)
# The figures behind each kind (KPI ids), in the order a report shows them.
EXCEPTION_FIGURES: dict[str, tuple[str, ...]] = {
    "share_lost": ("share_of_wallet_py", "share_of_wallet", "share_change_pp", "demand"),
    "revenue_falling": ("revenue_py", "revenue", "growth_yoy"),  # revenue and revenue_py: every row has them
    "fill_rate_miss": ("fill_rate", "otif_rate", "qty_ordered", "qty_unfilled", "unit_price"),
    "overdue_receivables": ("ar_overdue", "overdue_ratio", "ar_aging_over_90", "dso_days"),
    "key_not_visited": ("revenue", "visits_required", "visits_completed"),
}
_FIGURES = tuple(dict.fromkeys(f for figures in EXCEPTION_FIGURES.values() for f in figures))
_WHO = ("account_name", "region", "owner", "group_id")
EXCEPTION_COLUMNS: tuple[str, ...] = ("kind", "account_id", *_WHO, "amount", *_FIGURES)
CREDIT_COLUMNS: tuple[str, ...] = (
    "account_id",
    *_WHO,
    "credit_limit",
    "ar_open",
    "over_limit",
    "credit_utilization",
    "ar_overdue",
)


def exceptions(plan: pd.DataFrame, kpis: pd.DataFrame, has_visits: bool = True) -> pd.DataFrame:
    """Every account's exceptions of the run's period with the money at stake (columns :data:`EXCEPTION_COLUMNS`).

    Parameters
    ----------
    plan
        The planning table (index account_id): names, region, owner, group, key_account.
    kpis
        The accounts' KPIs of the run's period (index account_id).
    has_visits
        Whether the company keeps a visit log (without one, no account is "not visited").
    """
    k = kpis.reindex(plan.index)
    at_stake = {
        "share_lost": -k["share_change_pp"] / 100 * k["demand"],
        "revenue_falling": k["revenue_py"] - k["revenue"],
        "fill_rate_miss": k["unfilled_value"],
        "overdue_receivables": k["ar_overdue"],
        "key_not_visited": k["revenue"].where(
            plan["key_account"].astype(bool) & (k["visits_completed"] == 0) & has_visits
        ),
    }
    parts = []
    for kind in EXCEPTION_KINDS:
        amount = at_stake[kind]
        rows = amount[amount > 0]
        if rows.empty:
            continue
        part = plan.loc[rows.index, list(_WHO)].join(k.loc[rows.index, list(_FIGURES)])
        parts.append(part.assign(kind=kind, amount=rows.astype("float64")).rename_axis("account_id").reset_index())
    if not parts:
        return pd.DataFrame(columns=list(EXCEPTION_COLUMNS))
    frame = pd.concat(parts, ignore_index=True)[list(EXCEPTION_COLUMNS)]
    return _ranked(frame)


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """By kind in :data:`EXCEPTION_KINDS` order, then the largest amount first (ties: account_id)."""
    order = frame["kind"].map({kind: i for i, kind in enumerate(EXCEPTION_KINDS)})
    ranked = frame.assign(_order=order, _amount=-frame["amount"])
    ranked = ranked.sort_values(["_order", "_amount", "account_id"], kind="stable")
    return ranked.drop(columns=["_order", "_amount"]).reset_index(drop=True)


def material(revenue: object, revenue_py: object, scope_revenue: object, materiality: float) -> np.ndarray:
    """Whether each account is material: its revenue now or a year ago reaches ``materiality`` × its scope's.

    The one definition of materiality (exception lists, movers, the ``material`` column of the
    planning table).  ``scope_revenue`` is one number or one per account; where it is missing
    or not positive the threshold is 0 (every account that sold is material).
    """
    size = np.fmax(np.asarray(revenue, dtype="float64"), np.asarray(revenue_py, dtype="float64"))
    scope = np.asarray(scope_revenue, dtype="float64")
    floor = np.where(np.isfinite(scope) & (scope > 0), materiality * scope, 0.0)
    return np.asarray((size > 0) & (size >= floor), dtype=bool)


def in_scope(
    frame: pd.DataFrame, accounts: pd.Index, scope_revenue: float, materiality: float, per_kind: int | None = None
) -> pd.DataFrame:
    """The exceptions a report shows: those of its material accounts, by kind, largest amount first.

    An account is material when its revenue now or a year ago reaches ``materiality`` × the
    report's quarterly revenue (:func:`material`).

    Parameters
    ----------
    frame
        :attr:`Results.exceptions` (or any frame of its columns).
    accounts
        The report's account_ids (a region's, a group's, the company's).
    scope_revenue
        The report's revenue of the quarter (its ``revenue`` KPI); the threshold is 0 when it
        is missing or not positive.
    materiality
        ``report.materiality``.
    per_kind
        Keep at most this many rows of each kind.
    """
    keep = material(frame["revenue"], frame["revenue_py"], scope_revenue, materiality)
    rows = frame[isin(frame["account_id"], accounts) & keep]
    rows = _ranked(rows)
    if per_kind is not None:
        rows = rows.groupby("kind", sort=False).head(per_kind).reset_index(drop=True)
    return rows


def over_credit_limit(plan: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """Accounts whose open receivables at the period's last day exceed their credit limit, largest excess first."""
    k = kpis.reindex(plan.index)
    limit = plan["credit_limit"].astype("float64")
    over = k["ar_open"] - limit
    rows = over.index[(limit.notna() & (over > 0)).to_numpy()]
    frame = plan.loc[rows, [*_WHO, "credit_limit"]].join(k.loc[rows, ["ar_open", "credit_utilization", "ar_overdue"]])
    frame["over_limit"] = over.loc[rows]
    frame = frame.rename_axis("account_id").reset_index()[list(CREDIT_COLUMNS)]
    return frame.sort_values(["over_limit", "account_id"], ascending=[False, True], ignore_index=True)
