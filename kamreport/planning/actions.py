"""Recommended actions per key account, from the condition → text rules kept in params."""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import pandas as pd

from kamreport.errors import ParamsError
from kamreport.expressions import Expression
from kamreport.params import ActionRule

ACTION_COLUMNS = ["account_id", "rule", "condition", "en", "zh"]


def recommend(plan: pd.DataFrame, rules: list[ActionRule]) -> pd.DataFrame:
    """The actions each account's figures call for.

    Parameters
    ----------
    plan
        One row per account (index account_id): KPI values and planning columns.
    rules
        The rules, in the order they are shown.
    """
    columns = {c: plan[c] for c in plan.columns}
    rows = []
    for rule in rules:
        hit = Expression(rule.when).evaluate(columns)
        mask = hit.to_numpy(bool) if isinstance(hit, pd.Series) else np.full(len(plan), bool(hit))
        for account_id, values in plan[mask].iterrows():
            rows.append(
                {
                    "account_id": account_id,
                    "rule": rule.id,
                    "condition": rule.when,
                    "en": fill(rule.en, values),
                    "zh": fill(rule.zh, values, "—"),
                }
            )
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def fill(template: str, values: pd.Series, missing: str = "n/a") -> str:
    """Fill ``{name}`` / ``{name:.1f}`` placeholders with the row's values; a missing one reads ``missing``.

    Only plain names are allowed (no attribute or index access), so a rule's text cannot
    reach into Python objects.
    """
    out = []
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if not name.isidentifier():
            raise ParamsError(f"action text placeholder '{{{name}}}' must be a plain name")
        value: Any = values.get(name)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append(missing)
            continue
        try:
            out.append(format(value, spec or ""))
        except (ValueError, TypeError):
            out.append(str(value))
    return "".join(out)
