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
    """The rules a run uses unless the params give their own (each text a full sentence for the manager)."""
    return [
        ActionRule(
            id="share_loss",
            when="share_change_pp < -5",
            en="Our share of the customer's purchases changed by {share_change_pp:+.1f} points on last year. "
            "Defend it: meet procurement and design this month and find out who is taking the volume.",
            zh="我方在该客户采购中的份额较去年同期变化 {share_change_pp:+.1f} 个百分点。"
            "请防御：本月拜访采购与设计部门，弄清份额被谁拿走。",
        ),
        ActionRule(
            id="supply",
            when="fill_rate < 0.90",
            en="We delivered only {fill_rate:.0%} of what the customer ordered. "
            "Escalate the supply problem with planning and logistics this week and agree a recovery date with the "
            "customer.",
            zh="客户订货我方仅交付了 {fill_rate:.0%}。请本周向计划与物流部门升级供应问题，并与客户约定恢复供货的日期。",
        ),
        ActionRule(
            id="pipeline",
            when="attainment < 0.80 and pipeline_coverage < 1",
            en="Attainment is {attainment:.0%} and the pipeline covers only {pipeline_coverage:.1f} times next "
            "quarter's target. Build pipeline: open new opportunities with the customer before the quarter starts.",
            zh="目标达成率为 {attainment:.0%}，商机仅为下季度目标的 {pipeline_coverage:.1f} 倍。"
            "请补充商机：在下季度开始前与客户开拓新的商机。",
        ),
        ActionRule(
            id="attack",
            when="position == 'attack' and potential_monthly >= 50000",
            en="We hold only {share_of_wallet:.0%} of a large customer's purchases. "
            "Attack: map who decides and propose a trial order.",
            zh="在这个大客户的采购中我方份额仅 {share_of_wallet:.0%}。请进攻：梳理客户决策链，并提出试用订单方案。",
        ),
        ActionRule(
            id="visits",
            when="frequency_attainment < 0.5",
            en="Only {visits_completed:.0f} of the {visits_required:.0f} visits the account's tier asks for were "
            "made. Plan next quarter's visit calendar with the rep now.",
            zh="该客户等级要求拜访 {visits_required:.0f} 次，实际仅完成 {visits_completed:.0f} 次。"
            "请立即与业务代表制定下季度拜访日程。",
        ),
        ActionRule(
            id="overdue",
            when="overdue_ratio > 0.2",
            en="{overdue_ratio:.0%} of the customer's receivables are overdue. "
            "Agree a payment plan with finance and the customer before new orders ship.",
            zh="该客户 {overdue_ratio:.0%} 的应收账款已逾期。请在发出新订单前与财务及客户约定回款计划。",
        ),
        ActionRule(
            id="rhythm",
            when="unbalanced == 1",
            en="{last_week_share:.0%} of the customer's purchases come in the last week of the month. "
            "Smooth the order rhythm: agree weekly call-offs with the buyer.",
            zh="该客户 {last_week_share:.0%} 的采购集中在月末一周。请平衡下单节奏：与采购约定按周下单。",
        ),
    ]
