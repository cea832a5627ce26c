"""Relationship stage and planning level of each account (``planning.relationship``): ordered rules.

Each list is read top to bottom and an account takes the value of the first rule whose
condition holds, else ``otherwise``.  Conditions read the names an account action rule reads
(:data:`kamreport.registry.STAGE_NAMES`; a level rule also ``relationship_stage`` and
``action_count``), so a typo is refused when the params load.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from kamreport.errors import ExpressionError
from kamreport.expressions import Expression
from kamreport.params.base import StrictModel, unknown_name
from kamreport.registry import LEVEL_NAMES, STAGE_NAMES


class ClassRule(StrictModel):
    """One rule: the value an account gets when the condition holds."""

    value: str = Field(description="the stage or level, e.g. strategic")
    when: str = Field(description="condition over the account's KPIs and plan columns")


def _check(rules: list[ClassRule], known: frozenset[str], where: str) -> None:
    for rule in rules:
        try:
            names = Expression(rule.when).names
        except ExpressionError as exc:
            raise ValueError(f"planning.relationship.{where} '{rule.value}': {exc}") from exc
        unknown = sorted(names - known)
        if unknown:
            hints = "; ".join(unknown_name(name, sorted(known), "name") for name in unknown)
            raise ValueError(f"planning.relationship.{where} '{rule.value}' reads {hints}")


def _stages() -> list[ClassRule]:
    return [
        ClassRule(value="strategic", when="tier == 'A' and position == 'maintain' and history_quarters >= 8"),
        ClassRule(value="value", when="key_account and (position == 'maintain' or position == 'defend')"),
    ]


def _levels() -> list[ClassRule]:
    return [
        ClassRule(value="partner", when="relationship_stage == 'strategic'"),
        ClassRule(value="strategic", when="tier == 'A' and (position == 'attack' or position == 'defend')"),
        ClassRule(value="issue_driven", when="action_count > 0"),
    ]


class RelationshipParams(StrictModel):
    """Relationship stage and planning level (docs/kpis.md, "Relationship stage and planning level")."""

    stages: list[ClassRule] = Field(default_factory=_stages, description="relationship-stage rules, first match wins")
    stage_otherwise: str = Field("transactional", description="the stage of an account no stage rule matches")
    levels: list[ClassRule] = Field(default_factory=_levels, description="planning-level rules, first match wins")
    level_otherwise: str = Field("reactive", description="the planning level of an account no level rule matches")

    @model_validator(mode="after")
    def _reads_known_names(self) -> RelationshipParams:
        _check(self.stages, STAGE_NAMES, "stages")
        _check(self.levels, LEVEL_NAMES, "levels")
        return self
