"""Pipeline: the funnel against its benchmark, the weighted forecast and the high-value opportunities."""

from __future__ import annotations

import pandas as pd

from kamreport.report.labels import stage_label, t
from kamreport.report.sections.base import with_names
from kamreport.report.views import View

# an opportunity's value: amount, weighted amount, the score and its four dimensions
# (docs/kpis.md, "Opportunity value score")
OPPORTUNITY_COLUMNS = [
    "amount",
    "weighted_amount",
    "score",
    "score_opportunity",
    "score_compete",
    "score_win",
    "score_worth",
]
FORECAST_COLUMNS = [
    "won_amount",
    "win_rate",
    "pipeline_amount",
    "weighted_pipeline",
    "next_quarter_target",
    "pipeline_coverage",
]


def funnel_table(view: View) -> pd.DataFrame:
    """The view's funnel: stage, count, amount, weighted amount, benchmark, health, status."""
    funnel = view.run.data.results.funnel
    rows = funnel[(funnel["level"] == view.level) & (funnel["key"] == view.key)].sort_values("stage")
    frame = rows[["stage", "count", "amount", "weighted", "benchmark", "health", "status"]].reset_index(drop=True)
    frame.insert(1, "stage_name", [stage_label(s, view.lang) for s in frame["stage"]])
    return frame


def forecast_by_owner(view: View) -> pd.DataFrame:
    """Won, pipeline and weighted forecast per account manager of the view, then the view's total."""
    owners = sorted(view.accounts["owner"].dropna().astype(str).unique())
    table = view.run.data.results.kpi_table("owner", str(view.period)).reindex(owners)[FORECAST_COLUMNS]
    total = view.kpis()[FORECAST_COLUMNS].to_frame().T
    total.index = [t("total", view.lang)]
    return pd.concat([table, total]).rename_axis("owner").reset_index()


def high_value(view: View) -> pd.DataFrame:
    """Open high-value opportunities of the view's accounts, by weighted amount."""
    opps = view.run.data.results.opportunities
    rows = opps[opps["account_id"].isin(view.ids) & (opps["status"] == "open") & opps["high_value"].astype(bool)]
    rows = rows.sort_values(["weighted_amount", "opportunity_id"], ascending=[False, True])
    frame = rows[
        [
            "opportunity_id",
            "account_id",
            "owner",
            "stage",
            *OPPORTUNITY_COLUMNS,
            "expected_close",
        ]
    ].reset_index(drop=True)
    return with_names(frame, view)
