"""Pipeline: the funnel against its benchmark, the weighted forecast and the high-value opportunities."""

from __future__ import annotations

import pandas as pd

from kamreport.report.format import format_value
from kamreport.report.labels import stage_label, t
from kamreport.report.sections.actions import recommended
from kamreport.report.sections.base import side_by_side, with_names
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
    "forecast",
    "forecast_accuracy",
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
    """Forecast and its accuracy, won, win rate, pipeline and coverage per account manager, then the view's total."""
    owners = sorted(view.accounts["owner"].dropna().astype(str).unique())
    return side_by_side(view, "owner", owners, FORECAST_COLUMNS, "owner")


def opportunity_actions(view: View) -> pd.DataFrame:
    """What to do about the view's opportunities (the opportunity rules: open past their expected close …).

    One sentence each, most money at stake first: ``Account: action (amount at stake)`` (an
    account plan leaves its own name out); ``account_id`` is kept (hidden).
    """
    rows = recommended(view, ("opportunity",))
    lang = view.lang
    line, stake = t("action.line", lang), t("action.at_stake", lang)
    currency = view.params.report.currency
    texts = [
        (action if view.level == "account" else line.format(name=name, action=action))
        + ("" if pd.isna(amount) else stake.format(amount=format_value(amount, "amount", lang, currency, compact=True)))
        for name, action, amount in zip(rows["name"], rows[lang], rows["amount"], strict=True)
    ]
    return pd.DataFrame({"account_id": rows["account_id"].to_numpy(), "text": texts})


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
