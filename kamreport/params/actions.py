"""Recommended-action rules (``planning.actions``): the model, the default rules, and their check at load.

A rule's condition and texts may read only declared names — KPI ids and plan columns
(:mod:`kamreport.registry`) — so a typo is refused when the params load, before any data is read.
"""

from __future__ import annotations

import string

from pydantic import Field, model_validator

from kamreport.errors import ExpressionError
from kamreport.expressions import Expression
from kamreport.params.base import StrictModel, unknown_name
from kamreport.registry import RULE_NAMES


class ActionRule(StrictModel):
    """A recommended action: when the condition holds for a key account, show the text."""

    id: str = Field(description="short name of the rule, shown with the action")
    when: str = Field(description='condition over the account\'s KPIs and plan, e.g. "share_change_pp < -5"')
    en: str = Field(description="the action in English; {kpi} placeholders are filled in")
    zh: str = Field(description="the action in Chinese")

    @model_validator(mode="after")
    def _reads_known_names(self) -> ActionRule:
        """The condition and both texts read only KPI ids and plan columns (a typo fails at load)."""
        try:
            names = Expression(self.when).names
        except ExpressionError as exc:
            raise ValueError(f"rule '{self.id}': {exc}") from exc
        names |= placeholders(self.en) | placeholders(self.zh)
        unknown = sorted(names - RULE_NAMES)
        if unknown:
            hints = [unknown_name(name, sorted(RULE_NAMES), "name") for name in unknown]
            raise ValueError(
                f"rule '{self.id}' reads {'; '.join(hints)} — use KPI ids (kpis.csv) or accounts.csv columns"
            )
        return self


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields of an action text."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def default_actions() -> list[ActionRule]:
    """The rules a run uses unless the params give their own."""
    return [
        ActionRule(
            id="share_loss",
            when="share_change_pp < -5",
            en="Share changed {share_change_pp:+.1f} pp: defend — meet procurement and design this month",
            zh="份额变化 {share_change_pp:+.1f} 个百分点：防御——本月拜访采购与设计",
        ),
        ActionRule(
            id="supply",
            when="fill_rate < 0.90",
            en="Fill rate {fill_rate:.0%}: escalate supply with planning and logistics",
            zh="订单满足率 {fill_rate:.0%}：向计划与物流升级供应问题",
        ),
        ActionRule(
            id="pipeline",
            when="attainment < 0.80 and pipeline_coverage < 1",
            en="Attainment {attainment:.0%} with pipeline coverage {pipeline_coverage:.1f}×: build pipeline",
            zh="达成率 {attainment:.0%}，商机覆盖 {pipeline_coverage:.1f} 倍：补充商机",
        ),
        ActionRule(
            id="attack",
            when="position == 'attack' and potential_monthly >= 50000",
            en="Share {share_of_wallet:.0%} of a large wallet: attack — map the DMU and propose a trial",
            zh="大客户份额仅 {share_of_wallet:.0%}：进攻——梳理决策链并提出试用方案",
        ),
        ActionRule(
            id="visits",
            when="frequency_attainment < 0.5",
            en="Only {visits_completed:.0f} visits against {visits_required:.0f} required: plan the visit calendar",
            zh="拜访 {visits_completed:.0f} 次，要求 {visits_required:.0f} 次：制定拜访计划",
        ),
        ActionRule(
            id="overdue",
            when="overdue_ratio > 0.2",
            en="{overdue_ratio:.0%} of receivables overdue: agree a payment plan with finance",
            zh="逾期应收占 {overdue_ratio:.0%}：与财务约定回款计划",
        ),
        ActionRule(
            id="rhythm",
            when="unbalanced == 1",
            en="{last_week_share:.0%} of sales in the last week of the month: smooth the order rhythm",
            zh="月末一周销售占 {last_week_share:.0%}：平衡下单节奏",
        ),
    ]
