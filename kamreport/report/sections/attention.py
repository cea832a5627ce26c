"""Where money is at stake: the exceptions of the view's material accounts, largest amount first.

One table per kind — share lost, revenue falling, fill-rate misses, overdue receivables, key
accounts not visited (:data:`kamreport.planning.exceptions.EXCEPTION_KINDS`) — with the
figures behind it and the amount at stake, and the accounts over their credit limit.  The
rows are the run's results (``exceptions``, ``over_credit_limit``) kept by
:func:`kamreport.planning.exceptions.in_scope`: accounts below ``report.materiality`` of the
view's quarterly revenue are left out.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from kamreport.planning.exceptions import EXCEPTION_FIGURES, in_scope
from kamreport.report.sections.base import not_meaningful
from kamreport.report.views import View

CREDIT_COLUMNS = ["credit_limit", "ar_open", "over_limit", "credit_utilization", "ar_overdue"]
# the figure that is the amount at stake itself, shown once (as the amount)
AT_STAKE_FIGURE = {"overdue_receivables": "ar_overdue", "key_not_visited": "revenue"}


def exceptions(view: View) -> pd.DataFrame:
    """Every exception of the view's material accounts, by kind, largest amount at stake first."""
    results = view.run.data.results
    revenue = float(view.kpis().get("revenue", float("nan")))
    return in_scope(results.exceptions, view.ids, revenue, view.params.report.materiality)


def _who(view: View) -> list[str]:
    """Who an account row names: its name and manager (and region in the company's report)."""
    return ["account_name", "region", "owner"] if view.level == "company" else ["account_name", "owner"]


def of_kind(view: View, kind: str) -> pd.DataFrame:
    """The view's exceptions of one kind: who, the figures behind it and the amount at stake, largest first."""
    rows = exceptions(view)
    rows = rows[rows["kind"] == kind].reset_index(drop=True)
    figures = [f for f in EXCEPTION_FIGURES[kind] if f != AT_STAKE_FIGURE.get(kind)]
    columns = ["account_id", *_who(view), *figures, "amount"]
    frame = rows[columns].rename(columns={"amount": "at_stake"})
    kpis = view.account_kpis().reindex(rows["account_id"])
    return not_meaningful(frame, kpis, view.params)


share_lost = partial(of_kind, kind="share_lost")
revenue_falling = partial(of_kind, kind="revenue_falling")
fill_rate_misses = partial(of_kind, kind="fill_rate_miss")
overdue_receivables = partial(of_kind, kind="overdue_receivables")
key_not_visited = partial(of_kind, kind="key_not_visited")


def over_credit_limit(view: View) -> pd.DataFrame:
    """The view's accounts whose open receivables exceed their credit limit, largest excess first."""
    rows = view.run.data.results.over_credit_limit
    rows = rows[rows["account_id"].isin(view.ids)].reset_index(drop=True)
    return rows[["account_id", *_who(view), *CREDIT_COLUMNS]]
