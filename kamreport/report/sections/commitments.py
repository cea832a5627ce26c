"""Plans of record: objectives, the promotion plan, agreements, forecasts up the hierarchy, bids, value creation.

Region and company reports roll the plans up — per account manager of a region, per region
of the company — and account and group plans list their own objectives, promotions and
bids.  Every figure comes from the run's results (:mod:`kamreport.kpi.plan_series` and the
KPI table); these functions select and label.
"""

from __future__ import annotations

import pandas as pd

from kamreport.report.labels import run_text, t, value_label
from kamreport.report.sections.base import names, of_view
from kamreport.report.sections.plan import agreement_rows
from kamreport.report.views import View

PLAN_KPIS = [  # the plans of record per account manager (region) or region (company)
    "objectives_due",
    "objectives_done_share",
    "objectives_overdue",
    "promo_plan_coverage",
    "promo_plan_on_time_share",
    "promo_spend_vs_plan",
    "promo_volume_vs_plan",
    "forecast_accuracy",
    "forecast_bias",
    "bid_win_rate",
]
VALUE_KPIS = [  # value creation and strategic products per account manager or region
    "share_of_wallet",
    "win_rate",
    "value_per_win",
    "value_creation",
    "strategic_revenue",
    "strategic_mix",
    "strategic_penetration",
]
LEVEL_UNITS = {"level": "text", "name": "text"}
CONTROL_COLUMNS = ("over_80", "60_80", "30_60", "under_30", "control_unknown")  # bids.control, as columns


def _members(view: View) -> tuple[str, list[str]]:
    """The level a report breaks down into and its keys: a region's account managers, the company's regions."""
    if view.level == "company":
        return "region", view.run.regions
    return "owner", sorted(view.accounts["owner"].dropna().astype(str).unique())


def _by_member(view: View, kpis: list[str]) -> pd.DataFrame:
    """``kpis`` per member of the view (account manager or region), then the view's total."""
    level, keys = _members(view)
    table = view.run.data.results.kpi_table(level, str(view.period)).reindex(keys)[kpis]
    total = view.kpis()[kpis].to_frame().T
    total.index = [t("total", view.lang)]
    return pd.concat([table, total]).rename_axis(level).reset_index()


def has_plans(view: View) -> bool:
    """Whether the run has any table the plans-by-member table reads (else it is all empty)."""
    return any(view.facts.has(table) for table in ("objectives", "promotions", "forecasts", "bids"))


def plans_by_member(view: View) -> pd.DataFrame:
    """Objectives, the promotion plan, forecast quality and bids per account manager (region) or region."""
    return _by_member(view, PLAN_KPIS)


def value_by_member(view: View) -> pd.DataFrame:
    """Value creation (share of wallet × win rate × value per win) and strategic products per member."""
    return _by_member(view, VALUE_KPIS)


def agreements(view: View) -> pd.DataFrame:
    """The view's annual agreements so far: committed, done this year, expected by now and attainment."""
    return agreement_rows(view)[["item", "committed", "actual", "expected", "attainment_ytd", "unit"]]


def forecast_levels(view: View) -> pd.DataFrame:
    """Each level's forecast for the quarter: commit, best case, pipeline, the level below, the adjustment, actual.

    A region shows its own row and its account managers'; the company its own and its regions'.
    """
    frame = view.run.data.results.forecast_hierarchy
    rows = frame[frame["period"] == str(view.period)]
    if view.level == "company":
        rows = rows[rows["level"].isin(["company", "region"])]
    else:
        rows = rows[rows["level"].isin(["region", "owner"]) & (rows["region"] == view.key)]
    rows = rows.assign(_top=rows["level"] == view.level).sort_values(["_top", "key"], ascending=[False, True])
    labels = {"company": t("level.company", view.lang), "region": t("level.region", view.lang),
              "owner": t("level.owner", view.lang)}  # fmt: skip
    name = [
        view.params.report.company_name if level == "company" else key
        for level, key in zip(rows["level"], rows["key"], strict=True)
    ]
    frame = rows.assign(level=rows["level"].map(labels), name=name, revenue=rows["actual"])
    columns = ["level", "name", "commit", "best_case", "pipeline", "below", "adjustment", "revenue", "commit_vs_actual"]
    return frame[columns].reset_index(drop=True)


def forecast_note(view: View, frame: pd.DataFrame) -> str | None:
    """What the adjustment is, or that no level above the accounts submitted a forecast."""
    return t("note.forecast_levels", view.lang) if len(frame) else t("note.no_forecast_levels", view.lang)


def open_bids(view: View) -> pd.DataFrame:
    """Open bids by impact (rows) and our degree of control (columns), with their opportunities' amount."""
    rows = of_view(view.run.data.results.open_bids, view)
    if rows.empty:
        return pd.DataFrame(columns=["impact", *CONTROL_COLUMNS, "bids", "amount"])
    control = rows["control"].replace({"unknown": "control_unknown"})  # not the position's "unknown" column
    table = rows.assign(control=control).pivot_table(
        index="impact", columns="control", values="bids", aggfunc="sum", sort=False
    )
    table = table.reindex(columns=list(CONTROL_COLUMNS)).fillna(0.0)
    totals = rows.groupby("impact", sort=False)[["bids", "amount"]].sum()
    frame = table.join(totals).reset_index()
    frame["impact"] = [value_label(v, view.lang) for v in frame["impact"]]
    return frame


OPEN_BID_UNITS = {"impact": "text", **dict.fromkeys(CONTROL_COLUMNS, "count")}


def bids_note(view: View, frame: pd.DataFrame) -> str:
    """The quarter's bid win rate and price erosion under the open bids."""
    k = view.kpis()
    return t("note.bids", view.lang).format(
        win=_share(k["bid_win_rate"]), erosion=_share(k["bid_price_erosion"]), open=_count(k["bids_open"])
    )


def _share(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def _count(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:,.0f}"


def segments(view: View) -> pd.DataFrame:
    """Revenue, share of wallet and potential by customer segment (largest revenue first)."""
    rows = of_view(view.run.data.results.segments, view)
    unknown = value_label("unknown", view.lang)
    return rows.assign(segment=rows["segment"].astype("string").fillna(unknown))


# --------------------------------------------------------------------------- account and group plans


def _with_site(frame: pd.DataFrame, view: View, columns: list[str]) -> pd.DataFrame:
    """``columns`` of ``frame``, a group plan's rows with the site's name first."""
    if view.level == "group":
        frame = frame.assign(account_name=frame["account_id"].map(names(view)))
        columns = ["account_name", *columns]
    return frame[columns].reset_index(drop=True)


def plan_objectives(view: View) -> pd.DataFrame:
    """The objectives due this quarter and those still open: owner, due date, status, completion, overdue."""
    rows = view.rows(view.run.data.results.objectives)
    rows = rows[rows["due_now"].astype(bool) | (rows["status"] == "open")]
    lang = view.lang
    frame = rows.assign(
        status=[t(f"objective.{s}", lang) for s in rows["status"]],
        party=[value_label(p, lang) for p in rows["party"]],
        overdue=[t("flag.overdue", lang) if o else "" for o in rows["overdue"]],
        responsible=rows["owner"],  # whoever carries it, on our side or the customer's: not the account manager
    ).sort_values(["due", "objective"])
    return _with_site(frame, view, ["objective", "responsible", "due", "status", "completion", "party", "overdue"])


OBJECTIVE_UNITS = {"objective": "text", "responsible": "text", "status": "text", "party": "text", "overdue": "text",
                   "completion": "share"}  # fmt: skip


def objectives_note(view: View, frame: pd.DataFrame) -> str | None:
    """The quarter's count of objectives due, done and overdue (or that the plan has none open)."""
    k = view.kpis()
    if pd.isna(k["objectives_due"]):
        return None
    overdue = _count(k["objectives_overdue"])
    if not k["objectives_due"]:
        return t("note.objectives_none_due", view.lang).format(overdue=overdue)
    return t("note.objectives", view.lang).format(
        due=_count(k["objectives_due"]), done=_share(k["objectives_done_share"]), overdue=overdue
    )


CALENDAR_COLUMNS = ["promo_id", "start", "end", "days", "status", "submitted", "on_time", "planned_spend",
                    "planned_volume"]  # fmt: skip


def promotion_calendar(view: View) -> pd.DataFrame:
    """The promotions running in the three months after the quarter, by start: the rolling plan with the customer."""
    rows = view.rows(view.run.data.results.promotions)
    rows = rows[rows["in_plan"].astype(bool)].sort_values(["start", "promo_id"])
    lang = view.lang
    frame = rows.assign(
        status_code=rows["status"],
        status=[value_label(s, lang) for s in rows["status"]],
        on_time=[
            _on_time(judged, on_time, lang) for judged, on_time in zip(rows["judged"], rows["on_time"], strict=True)
        ],
    )
    result = _with_site(frame, view, [*CALENDAR_COLUMNS, "status_code"])
    result.attrs["months"] = _plan_month_names(view)  # the calendar's span (the workbook's chart axis)
    return result


def _on_time(judged: bool, on_time: bool, lang: str) -> str:
    if not judged:
        return t("lead.pending", lang)  # type: ignore[arg-type]
    return t("lead.on_time" if on_time else "lead.late", lang)  # type: ignore[arg-type]


CALENDAR_UNITS = {"promo_id": "text", "status": "text", "on_time": "text"}


def coverage_note(view: View, frame: pd.DataFrame) -> str | None:
    """How much of the next three months the plan covers, and which months (missing for a non-key account)."""
    coverage = view.kpis()["promo_plan_coverage"]
    months = ", ".join(_plan_month_names(view))
    if pd.isna(coverage):
        return run_text(t("note.promo_plan_months", view.lang), view.params).format(months=months)
    return run_text(t("note.promo_plan", view.lang), view.params).format(coverage=f"{coverage:.0%}", months=months)


def _plan_month_names(view: View) -> list[str]:
    first = pd.Timestamp(view.period.end) + pd.offsets.MonthBegin(1)
    return [(first + pd.offsets.MonthBegin(k)).strftime("%Y-%m") for k in range(3)]


RESULT_COLUMNS = ["promo_id", "start", "end", "status", "planned_spend", "actual_spend", "spend_vs_plan",
                  "planned_volume", "actual_volume", "volume_vs_plan"]  # fmt: skip
RESULT_UNITS = {"promo_id": "text", "status": "text"}


def promotion_results(view: View) -> pd.DataFrame:
    """The promotions that started this quarter: planned spend and volume against what they cost and sold."""
    rows = view.rows(view.run.data.results.promotions)
    rows = rows[rows["started_now"].astype(bool)].sort_values(["start", "promo_id"])
    frame = rows.assign(status=[value_label(s, view.lang) for s in rows["status"]])
    return _with_site(frame, view, RESULT_COLUMNS)


BID_COLUMNS = ["opportunity_id", "submitted", "tender_mode", "quote_rounds", "first_quote", "final_quote", "erosion",
               "competitor_brands", "control", "impact", "result", "decided"]  # fmt: skip
BID_UNITS = {
    "opportunity_id": "text",
    **dict.fromkeys(("tender_mode", "competitor_brands", "control", "impact"), "text"),
}


def plan_bids(view: View) -> pd.DataFrame:
    """The account's bids still open and those decided this quarter, latest first."""
    rows = view.rows(view.run.data.results.bids)
    rows = rows[(rows["result"] == "open") | rows["decided_now"].astype(bool)].sort_values("submitted", ascending=False)
    lang = view.lang
    frame = rows.assign(**{c: [value_label(v, lang) for v in rows[c]] for c in ("tender_mode", "control", "impact")})
    return _with_site(frame, view, BID_COLUMNS)
