"""Account managers and regions side by side: the scorecard of each manager of a region, each region of the company.

The figures are the run's results: ``owner_scorecard`` (one row per region and account
manager, and a total row per region computed from the owner rows' summed parts, so it equals
the region) and the region and company rows of the KPI table.  Ratios over a small base are
shown as not meaningful.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kamreport.params import Rag
from kamreport.report.labels import t
from kamreport.report.sections.base import FIVE_INDICATORS, not_meaningful, side_by_side
from kamreport.report.views import View

OWNER_COLUMNS = [
    *FIVE_INDICATORS,
    "otif_rate",
    "pipeline_coverage",
    "forecast_accuracy",
    "key_accounts",
    "key_accounts_per_owner",
]
REGION_COLUMNS = [*FIVE_INDICATORS, "otif_rate", "overdue_ratio", "key_accounts", "account_managers"]


def owner_scorecard(view: View) -> pd.DataFrame:
    """One row per account manager of the region, largest revenue first, then the region's total row."""
    card = view.run.data.results.owner_scorecard
    rows = card[card["region"] == view.key]
    owners = rows[~rows["total"].astype(bool)].sort_values(["revenue", "owner"], ascending=[False, True])
    ordered = pd.concat([owners, rows[rows["total"].astype(bool)]], ignore_index=True)
    frame = ordered[OWNER_COLUMNS].assign(owner=ordered["owner"].astype(object))
    frame.loc[ordered["total"].astype(bool).to_numpy(), "owner"] = t("total", view.lang)
    frame = frame[["owner", *OWNER_COLUMNS]]
    return not_meaningful(frame, ordered, view.params)


def capacity(view: View) -> Mapping[str, Rag]:
    """Key accounts per manager: green up to ``planning.kam_capacity``, red above."""
    limit = float(view.params.planning.kam_capacity)
    return {"key_accounts_per_owner": Rag(green=limit, amber=limit, lower_is_better=True)}


def capacity_note(view: View, _frame: pd.DataFrame) -> str:
    """What the total row is, and the capacity the key accounts per manager are held against."""
    return t("note.owner_scorecard", view.lang).format(capacity=view.params.planning.kam_capacity)


def has_owner_scorecard(view: View) -> bool:
    """Whether the run has an owner scorecard for the region."""
    card = view.run.data.results.owner_scorecard
    return bool((card["region"] == view.key).any())


def regions(view: View) -> pd.DataFrame:
    """Each region's indicators side by side, then the company's total row (the region rows of kpis.csv)."""
    return side_by_side(view, "region", list(view.run.regions), REGION_COLUMNS, "region")
