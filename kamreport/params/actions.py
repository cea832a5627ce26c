"""Recommended-action rules (``planning.actions``): the model, the default rules, and their check at load.

A rule has a scope — a key account (the default), a group customer or an opportunity — and
its condition, its money at stake and its texts may read only the names declared for that
scope (:data:`kamreport.registry.RULE_NAMES_BY_SCOPE`: KPI ids and plan columns, group
columns, opportunity columns), so a typo is refused when the params load, before any data is read.
"""

from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, model_validator

from kamreport.errors import ExpressionError
from kamreport.expressions import Expression
from kamreport.params.base import StrictModel, unknown_name
from kamreport.registry import RULE_NAMES_BY_SCOPE

Scope = Literal["account", "group", "opportunity"]
# The money at stake of a rule that names none: the account's or group's revenue, the opportunity's amount.
DEFAULT_AMOUNT: dict[str, str] = {"account": "revenue", "group": "revenue", "opportunity": "amount"}


class ActionRule(StrictModel):
    """A recommended action: when the condition holds for a key account (group, opportunity), show the text."""

    id: str = Field(description="short name of the rule, shown with the action")
    scope: Scope = Field(
        "account",
        description="what the rule looks at: a key account (KPIs and plan columns), a group customer "
        "(group KPIs, sites, key_sites) or an opportunity (its columns, days_overdue)",
    )
    when: str = Field(description='condition over the account\'s KPIs and plan, e.g. "share_change_pp < -5"')
    amount: str | None = Field(
        None,
        description="money at stake, an expression over the same names (default: revenue; an opportunity's "
        "amount); actions are ranked by it, largest first",
    )
    en: str = Field(
        description="the action in English; {kpi} placeholders are filled in ({kpi:.1f} a Python "
        "format, {kpi:money} an amount with report.currency as the reports write it)",
    )
    zh: str = Field(description="the action in Chinese")

    @model_validator(mode="after")
    def _reads_known_names(self) -> ActionRule:
        """The condition, the amount and both texts read only the scope's names (a typo fails at load)."""
        try:
            names = Expression(self.when).names | Expression(self.stake).names
        except ExpressionError as exc:
            raise ValueError(f"rule '{self.id}': {exc}") from exc
        names |= placeholders(self.en) | placeholders(self.zh)
        known = RULE_NAMES_BY_SCOPE[self.scope]
        unknown = sorted(names - known)
        if unknown:
            hints = [unknown_name(name, sorted(known), "name") for name in unknown]
            where = {
                "account": "KPI ids (kpis.csv) or accounts.csv columns",
                "group": "KPI ids or group columns (group_id, sites, key_sites)",
                "opportunity": "opportunity columns (amount, stage, days_overdue …)",
            }[self.scope]
            raise ValueError(f"rule '{self.id}' ({self.scope} scope) reads {'; '.join(hints)} — use {where}")
        return self

    @property
    def stake(self) -> str:
        """The expression of the money at stake (the scope's default when the rule names none)."""
        return self.amount or DEFAULT_AMOUNT[self.scope]


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields of an action text."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def default_actions() -> list[ActionRule]:
    """The rules a run uses unless the params give their own (each text a full sentence for the manager)."""
    return [
        ActionRule(
            id="share_loss",
            when="share_change_pp < -5",
            amount="-share_change_pp / 100 * demand",
            en="Our share of the customer's purchases changed by {share_change_pp:+.1f} points on last year. "
            "Defend it: meet procurement and design this month and find out who is taking the volume.",
            zh="我方在该客户采购中的份额较去年同期变化 {share_change_pp:+.1f} 个百分点。"
            "请防御：本月拜访采购与设计部门，弄清份额被谁拿走。",
        ),
        ActionRule(
            id="revenue_decline",
            when="growth_yoy <= -0.10 and material",
            amount="revenue_py - revenue",
            en="Revenue is {growth_yoy:+.0%} on last year ({revenue_py:money} → {revenue:money}). "
            "Meet the customer's buyer this month, find out where the volume went and agree a recovery plan.",
            zh="销售额同比 {growth_yoy:+.0%}（{revenue_py:money} → {revenue:money}）。"
            "请在本月约见客户采购，查明流失的业务去向，并共同制定恢复计划。",
        ),
        ActionRule(
            id="demand_missing",
            when="position == 'unknown'",
            en="The customer's total demand is unknown, so its share and position cannot be judged. "
            "Collect a demand estimate (the customer's total purchases of the category) this quarter.",
            zh="客户需求总额未知，无法判断份额和关系定位。请在本季度收集该客户本品类采购总额的估计。",
        ),
        ActionRule(
            id="supply",
            when="fill_rate < 0.90",
            amount="unfilled_value",
            en="We delivered only {fill_rate:.0%} of what the customer ordered. "
            "Escalate the supply problem with planning and logistics this week and agree a recovery date with the "
            "customer.",
            zh="客户订货我方仅交付了 {fill_rate:.0%}。请本周向计划与物流部门升级供应问题，并与客户约定恢复供货的日期。",
        ),
        ActionRule(
            id="pipeline",
            when="attainment < 0.80 and pipeline_coverage < 1",
            amount="next_quarter_target - pipeline_amount",
            en="Attainment is {attainment:.0%} and the pipeline covers only {pipeline_coverage:.1f} times next "
            "quarter's target. Build pipeline: open new opportunities with the customer before the quarter starts.",
            zh="目标达成率为 {attainment:.0%}，商机仅为下季度目标的 {pipeline_coverage:.1f} 倍。"
            "请补充商机：在下季度开始前与客户开拓新的商机。",
        ),
        ActionRule(
            id="attack",
            when="position == 'attack' and potential_monthly >= 50000",
            amount="demand - revenue",
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
            amount="ar_overdue",
            en="{overdue_ratio:.0%} of the customer's receivables are overdue. "
            "Agree a payment plan with finance and the customer before new orders ship.",
            zh="该客户 {overdue_ratio:.0%} 的应收账款已逾期。请在发出新订单前与财务及客户约定回款计划。",
        ),
        ActionRule(
            id="rhythm",
            when="unbalanced == 1",
            amount="revenue * last_week_share",
            en="{last_week_share:.0%} of the customer's purchases come in the last week of the month. "
            "Smooth the order rhythm: agree weekly call-offs with the buyer.",
            zh="该客户 {last_week_share:.0%} 的采购集中在月末一周。请平衡下单节奏：与采购约定按周下单。",
        ),
        ActionRule(
            id="group_owners",
            scope="group",
            when="account_managers > 1",
            en="This group customer is served by {account_managers:.0f} account managers across {sites:.0f} sites. "
            "Name one key-account manager for the whole group and let the others report to them.",
            zh="该集团客户的 {sites:.0f} 个网点由 {account_managers:.0f} 位客户经理分别负责。"
            "请为整个集团指定一位重点客户经理，其他人向其汇报。",
        ),
        ActionRule(
            id="opportunity_overdue",
            scope="opportunity",
            when="status == 'open' and days_overdue > 0",
            en="Opportunity {opportunity_id} ({amount:money}) is still open {days_overdue:.0f} days after its "
            "expected close ({expected_close}), so it counts in no pipeline. Close it as won or lost, "
            "or give it a new expected close date.",
            zh="商机 {opportunity_id}（{amount:money}）已超过预计成交日（{expected_close}）"
            "{days_overdue:.0f} 天仍未关闭，因此不计入任何商机覆盖。请将其关闭为赢单或丢单，或更新预计成交日期。",
        ),
    ]
