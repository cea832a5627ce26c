"""Every chapter of every document, declared once: the workbook, the HTML report and the notebooks follow.

:data:`CHAPTERS` lists the chapters in document order.  The workbook writes a sheet per
chapter (and one per table that asks for its own), the HTML report and the notebook a
chapter each (:mod:`kamreport.report.notebooks` generates the notebooks from this list), so
the three always agree.  Adding a chapter is one :class:`~kamreport.report.spec.ChapterSpec`
here plus its labels (``title.<id>``, ``intro.<id>``, ``sheet.<id>``, ``notebook.<id>``);
see docs/chapters.md.
"""

from __future__ import annotations

from dataclasses import replace

from kamreport.report import charts
from kamreport.report.excel import charts as xl
from kamreport.report.sections import (
    accounts,
    attention,
    commitments,
    indicators,
    managers,
    operations,
    pipeline,
    plan,
    profit,
    quality,
    spread,
    summary,
    trends,
)
from kamreport.report.sections.base import Section
from kamreport.report.spec import PLANS, REPORTS, ChapterSpec, FrameFn, TableSpec, build_section
from kamreport.report.views import View, ViewLevel

_TEXT_ONLY = {
    "kpi": "text",
    "name": "text",
    "measure": "text",
    "definition": "text",
    "param": "text",
    "value": "text",
    "item": "text",
}

SCORECARD = TableSpec(
    "scorecard",
    summary.scorecard,
    "title.summary",
    units=summary.SCORECARD_UNITS,
    hidden=("unit", "target_unit", "change_unit", "kpi_id"),
)

LONG_LIST = 15  # rows of a ranked list that shares its sheet with other tables
# accounts an HTML report lists (largest revenue first); its workbook and accounts.csv list them all
HTML_ACCOUNTS = 200
SHORT_LIST = 10  # … a list that shares its page with a chart
AT_STAKE = 5  # rows of each list of the chapter on money at stake (the whole list: a later chapter or the CSVs)


def _at_stake(table_id: str, frame: FrameFn, column: int) -> TableSpec:
    """One list of the chapter on money at stake: its title and empty sentence follow its id."""
    return TableSpec(
        table_id,
        frame,
        f"title.{table_id}",
        hidden=("account_id",),
        empty="empty.at_stake",
        limit=AT_STAKE,
        column=column,
    )


# every KPI of the view by family, in two tables side by side (reports and plans)
INDICATORS = (
    TableSpec(
        "sales_to_fill",
        indicators.sales_to_fill,
        "title.indicators_left",
        units=indicators.FAMILY_UNITS,
        hidden=("unit", "kpi_id"),
    ),
    TableSpec(
        "profit_to_receivables",
        indicators.profit_to_receivables,
        "title.indicators_right",
        units=indicators.FAMILY_UNITS,
        hidden=("unit", "kpi_id"),
        column=1,
    ),
)

CHAPTERS: tuple[ChapterSpec, ...] = (
    # ------------------------------------------------------------------ region and company reports
    ChapterSpec(
        "summary",
        REPORTS,
        (
            SCORECARD,
            TableSpec(
                "key_numbers",
                summary.key_numbers,
                "title.key_numbers",
                units={"item": "text", "value": "@unit"},
                hidden=("unit",),
            ),
            TableSpec("top_actions", summary.action_list, "title.top_actions", hidden=("account_id",)),
            TableSpec(
                "what_changed",
                summary.what_changed,
                "title.what_changed",
                units={"text": "text"},
                hidden=("kind", "account_id", "amount"),
            ),
            TableSpec(
                "revenue_by_month",
                trends.revenue_by_month,
                "title.revenue_trend",
                excel_chart=xl.revenue_vs_target,
                column=1,
                printed=False,
            ),
        ),
        charts=(charts.revenue_vs_target, charts.share_trend),
        one_page=True,
    ),
    ChapterSpec(  # the region's account managers side by side
        "managers",
        ("region",),
        (
            TableSpec(
                "owners",
                managers.owner_scorecard,
                "title.managers",
                note=managers.capacity_note,
                thresholds=managers.capacity,
                when=managers.has_owner_scorecard,
            ),
        ),
    ),
    ChapterSpec(  # the company's regions side by side
        "regions",
        ("company",),
        (TableSpec("regions", managers.regions, "title.regions"),),
    ),
    ChapterSpec(
        "attention",
        REPORTS,
        (
            _at_stake("share_lost", attention.share_lost, 0),
            _at_stake("revenue_falling", attention.revenue_falling, 0),
            _at_stake("fill_rate_misses", attention.fill_rate_misses, 0),
            _at_stake("overdue_receivables", attention.overdue_receivables, 1),
            _at_stake("over_credit_limit", attention.over_credit_limit, 1),
            _at_stake("key_not_visited", attention.key_not_visited, 1),
        ),
    ),
    ChapterSpec(
        "indicators",
        REPORTS,
        (
            *INDICATORS,
            TableSpec("trend", indicators.trend, "title.indicator_trend", units={"period": "text"}),
            TableSpec(
                "aging", indicators.aging, "title.aging", units=indicators.AGING_UNITS, needs=("receivables",), column=1
            ),
        ),
    ),
    ChapterSpec(
        "accounts",
        REPORTS,
        (
            TableSpec(
                "accounts",
                accounts.account_table,
                "title.accounts",
                note=accounts.accounts_note,
                link_plans=True,
                html_limit=HTML_ACCOUNTS,
                technical=(
                    "account_id",
                    "group_name",
                    "tier",
                    "key_account",
                    "revenue_target",
                    "pipeline_coverage",
                    "priority",
                    "review",
                    "relationship_stage",
                    "planning_level",
                ),
            ),
        ),
        charts=(charts.pareto,),
    ),
    ChapterSpec(
        "positioning",
        REPORTS,
        (
            TableSpec(
                "movement",
                accounts.movement,
                "title.movement",
                units=accounts.MOVEMENT_UNITS,
                note=accounts.movement_note,
                excel_chart=xl.position_matrix,
                chart_beside=True,
            ),
            TableSpec(
                "movers",
                accounts.movers,
                "title.movers",
                empty="empty.movers",
                hidden=("account_id",),
                limit=SHORT_LIST,
            ),
            TableSpec("review", accounts.key_review, "title.review", empty="empty.review", hidden=("account_id",)),
        ),
        charts=(charts.position_scatter,),
    ),
    ChapterSpec(
        "targets",
        REPORTS,
        (
            TableSpec(
                "targets_by_position",
                accounts.targets_by_position,
                "title.targets_by_position",
                units={"position": "text"},
            ),
            TableSpec(
                "targets",
                accounts.target_table,
                "title.targets",
                units={"revenue_pq": "amount"},
                note=accounts.targets_note,
                technical=("account_id",),
                html_limit=HTML_ACCOUNTS,
            ),
        ),
    ),
    ChapterSpec(
        "pipeline",
        REPORTS,
        (
            TableSpec(
                "funnel",
                pipeline.funnel_table,
                "title.pipeline",
                units={"status": "label"},
                hidden=("stage",),
                excel_chart=xl.funnel_vs_benchmark,
            ),
            TableSpec("forecast", pipeline.forecast_by_owner, "title.forecast"),
            TableSpec(
                "high_value",
                pipeline.high_value,
                "title.high_value",
                empty="empty.high_value",
                hidden=("account_id", "score_opportunity", "score_compete", "score_win", "score_worth"),
                limit=SHORT_LIST,
            ),
            TableSpec(
                "opportunity_actions",
                pipeline.opportunity_actions,
                "title.opportunity_actions",
                units={"text": "text"},
                empty="empty.opportunity_actions",
                hidden=("account_id",),
                limit=AT_STAKE,
            ),
        ),
        charts=(charts.funnel_vs_benchmark,),
        needs=("opportunities",),
    ),
    ChapterSpec(
        "execution",
        REPORTS,
        (
            TableSpec("by_rep", operations.visits_by_rep, "title.execution", excel_chart=xl.visits_by_rep),
            TableSpec("by_owner", operations.policy_by_owner, "title.execution_owner", note=operations.capped_note),
        ),
        charts=(charts.visits_by_rep,),
        needs=("visits",),
    ),
    ChapterSpec(
        "fill_rate",
        REPORTS,
        (
            TableSpec(
                "by_month",
                operations.fill_by_month,
                "title.fill_rate",
                excel_chart=xl.fill_rate_trend,
                chart_beside=True,
            ),
            TableSpec(
                "worst",
                attention.fill_rate_misses,
                "title.fill_rate_worst",
                empty="empty.at_stake",
                hidden=("account_id",),
                limit=SHORT_LIST,
            ),
        ),
        charts=(charts.fill_rate_trend,),
        needs=("orders",),
    ),
    ChapterSpec(
        "profit",
        REPORTS,
        (
            TableSpec(
                "bridge",
                profit.bridge,
                "title.profit",
                units={"step": "text", "value": "amount"},
                hidden=("kind",),
                excel_chart=xl.margin_bridge,
                chart_beside=True,
            ),
            TableSpec(
                "by_account", profit.by_account, "title.profit_accounts", hidden=("account_id",), limit=LONG_LIST
            ),
        ),
        charts=(charts.margin_bridge,),
        needs=("sales.cost",),
        absent="sales (its cost column)",
    ),
    ChapterSpec(
        "rhythm",
        REPORTS,
        (
            TableSpec(
                "week_of_month",
                operations.week_of_month,
                "title.rhythm",
                units={week: "share" for week in operations.WEEKS},
                note=operations.weeks_note,
            ),
            TableSpec(
                "unbalanced",
                operations.unbalanced_accounts,
                "title.rhythm_accounts",
                empty="empty.unbalanced",
                hidden=("account_id",),
                limit=10,
            ),
        ),
        charts=(charts.week_heatmap,),
    ),
    ChapterSpec(
        "plans",
        REPORTS,
        (
            TableSpec(
                "by_member",
                commitments.plans_by_member,
                "title.plans_by_member",
                when=commitments.has_plans,
            ),
            TableSpec(
                "agreements",
                commitments.agreements,
                "title.agreements_ytd",
                units=plan.AGREEMENT_UNITS,
                hidden=("unit",),
                needs=("agreements",),
            ),
            TableSpec(
                "forecast_levels",
                commitments.forecast_levels,
                "title.forecast_levels",
                units=commitments.LEVEL_UNITS,
                note=commitments.forecast_note,
                needs=("forecasts",),
            ),
            TableSpec(
                "open_bids",
                commitments.open_bids,
                "title.open_bids",
                units=commitments.OPEN_BID_UNITS,
                note=commitments.bids_note,
                empty="empty.open_bids",
                needs=("bids",),
            ),
            TableSpec("value", commitments.value_by_member, "title.value_creation"),
            TableSpec(
                "segments",
                commitments.segments,
                "title.segments",
                units={"segment": "text"},
                needs=("accounts.segment",),
            ),
        ),
        charts=(charts.value_creation, charts.forecast_trend),
        one_page=True,
    ),
    ChapterSpec(
        "data_quality",
        REPORTS,
        (
            TableSpec(
                "tables",
                quality.input_tables,
                "title.data_quality",
                units={"table": "text", "reasons": "text"},
            ),
            TableSpec(
                "rows",
                quality.quality_rows,
                "title.data_quality_rows",
                units={"table": "text", "kind": "text", "source_file": "text", "reason": "text", "row": "text"},
                note=quality.quality_note,
                technical=("row",),
                when=quality.has_quality_rows,
            ),
            TableSpec(  # accounts buying in several regions (accounts derived from the sales lines)
                "region_spread",
                spread.region_spread,
                "title.region_spread",
                units=spread.SPREAD_UNITS,
                note=spread.region_spread_note,
                when=spread.has_region_spread,
            ),
        ),
    ),
    ChapterSpec(
        "notes",
        REPORTS,
        (
            TableSpec("definitions", quality.definitions_first, "title.notes", units=_TEXT_ONLY, hidden=("kpi",)),
            TableSpec(
                "definitions_more",
                quality.definitions_second,
                "title.notes",
                units=_TEXT_ONLY,
                technical=("kpi",),
                column=1,
            ),
        ),
    ),
    ChapterSpec(
        "run",
        REPORTS,
        (
            # the run's facts beside the long params list, whose header repeats on every printed page
            TableSpec("params", quality.params_used, "title.params", units=_TEXT_ONLY),
            TableSpec("run", quality.run_info, "title.run", units=_TEXT_ONLY, column=1),
        ),
    ),
    # ------------------------------------------------------------------ account and group plans
    ChapterSpec(
        "overview",
        PLANS,
        (
            SCORECARD,
            TableSpec(
                "actions", plan.action_sentences, "title.actions", units={"action": "text"}, note=plan.actions_note
            ),
            TableSpec(
                "key_facts",
                plan.key_facts,
                "title.key_facts",
                units=plan.PAIR_UNITS,
                hidden=("unit",),
                column=1,
            ),
        ),
        one_page=True,
    ),
    ChapterSpec(
        "objectives",
        PLANS,
        (
            TableSpec(
                "objectives",
                commitments.plan_objectives,
                "title.objectives",
                units=commitments.OBJECTIVE_UNITS,
                note=commitments.objectives_note,
                empty="empty.objectives",
            ),
        ),
        needs=("objectives",),
    ),
    ChapterSpec(
        "profile",
        PLANS,
        (
            TableSpec("profile", plan.profile_rows, "title.profile", units=plan.PAIR_UNITS, hidden=("unit",)),
            TableSpec("sites", plan.sites, "title.sites", when=plan.has_sites, hidden=("account_id",)),
            TableSpec("position_history", plan.position_history, "title.position_history"),
        ),
    ),
    ChapterSpec(
        "performance",
        PLANS,
        (
            TableSpec("trend", plan.trend, "title.trend"),
            *(replace(table, column=0) for table in INDICATORS),  # below the wide trend, one above the other
            TableSpec("mix", plan.product_mix, "title.mix", needs=("products",)),
            TableSpec("divisions", plan.divisions, "title.divisions", needs=("sales.division",)),
        ),
        charts=(charts.revenue_trend, charts.rates_trend),
    ),
    ChapterSpec(
        "relationship",
        PLANS,
        (
            TableSpec("contacts", plan.dmu, "title.contacts", note=plan.contacts_note, needs=("contacts",)),
            TableSpec(
                "roles_not_visited",
                plan.roles_not_visited,
                "title.roles_not_visited",
                empty="empty.roles_met",
                needs=("visits",),
            ),
            TableSpec("visits", plan.visit_history, "title.visit_history", note=plan.visits_note, needs=("visits",)),
        ),
        absent="contacts / visits",
    ),
    ChapterSpec(
        "opportunities",
        PLANS,
        (
            TableSpec(
                "open", plan.open_opportunities, "title.open_opportunities", note=plan.open_note, hidden=("stage",)
            ),
            TableSpec(
                "closed",
                plan.closed_opportunities,
                "title.closed_opportunities",
                units={"status": "label"},
                empty="empty.closed",
            ),
            TableSpec(
                "bids",
                commitments.plan_bids,
                "title.bids",
                units=commitments.BID_UNITS,
                empty="empty.bids",
                needs=("bids",),
            ),
            TableSpec(
                "actions",
                pipeline.opportunity_actions,
                "title.opportunity_actions",
                units={"text": "text"},
                empty="empty.opportunity_actions",
                hidden=("account_id",),
            ),
        ),
        needs=("opportunities",),
    ),
    ChapterSpec(
        "plan",
        PLANS,
        (
            TableSpec(
                "derivation",
                plan.derivation,
                "title.derivation",
                units={"item": "text", "value": "@unit", "how": "text"},
                hidden=("unit",),
            ),
            TableSpec("targets", accounts.target_table, "title.targets", when=plan.is_group, technical=("account_id",)),
            TableSpec(
                "agreement",
                plan.agreement,
                "title.agreement",
                units=plan.AGREEMENT_UNITS,
                hidden=("unit",),
                needs=("agreements",),
            ),
            TableSpec(
                "receivables",
                plan.receivables,
                "title.receivables",
                units=plan.PAIR_UNITS,
                hidden=("unit",),
                note=plan.credit_note,
            ),
        ),
    ),
    ChapterSpec(
        "promotions",
        PLANS,
        (
            TableSpec(
                "calendar",
                commitments.promotion_calendar,
                "title.promotion_calendar",
                units=commitments.CALENDAR_UNITS,
                hidden=("status_code",),
                note=commitments.coverage_note,
                empty="empty.promotion_calendar",
                excel_chart=xl.promotion_calendar,
            ),
            TableSpec(
                "results",
                commitments.promotion_results,
                "title.promotion_results",
                units=commitments.RESULT_UNITS,
                empty="empty.promotion_results",
            ),
        ),
        charts=(charts.promotion_calendar,),
        needs=("promotions",),
    ),
    ChapterSpec(
        "appendix",
        PLANS,
        (
            TableSpec(
                "rules",
                plan.actions,
                "title.appendix",
                units={"rule": "text", "action": "text", "condition": "text"},
                note=plan.actions_note,
            ),
        ),
    ),
)

CHAPTER_BY_ID: dict[str, ChapterSpec] = {spec.id: spec for spec in CHAPTERS}


def chapters_for(level: ViewLevel) -> tuple[ChapterSpec, ...]:
    """The chapters of the document of ``level``: a region or company report, a group or account plan.

    An account manager (``owner``) has no document: none.
    """
    return tuple(spec for spec in CHAPTERS if level in spec.documents)


def chapter(chapter_id: str) -> ChapterSpec:
    """One chapter's declaration; an unknown id is refused with the ids there are."""
    if chapter_id not in CHAPTER_BY_ID:
        raise KeyError(f"no chapter {chapter_id!r}; the chapters are {', '.join(CHAPTER_BY_ID)}")
    return CHAPTER_BY_ID[chapter_id]


def report_sections(view: View) -> list[Section]:
    """Every chapter of the view's document (a report, or a plan for an account or group), in order."""
    return [build_section(spec, view) for spec in chapters_for(view.level)]
