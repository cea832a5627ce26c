"""Recommended actions, from the condition → text rules kept in params, ranked by the money at stake.

A rule looks at one scope (:data:`kamreport.registry.RULE_SCOPES`): a key account (its KPIs and
plan row), a group customer (its KPIs, ``sites``, ``key_sites``) or an opportunity (its columns
and ``days_overdue``).  Each action carries the rule's ``amount`` — the money at stake — and
the actions are listed largest amount first.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kamreport.errors import ParamsError
from kamreport.expressions import Expression
from kamreport.params import ActionRule
from kamreport.params.actions import placeholders
from kamreport.params.report import money as money_text

MONEY = "money"  # the placeholder format of an amount written with the currency: {amount:money}
ACTION_COLUMNS = ["scope", "key", "account_id", "group_id", "rule", "condition", "amount", "en", "zh"]


def recommend(
    frames: pd.DataFrame | dict[str, pd.DataFrame], rules: list[ActionRule], currency: str = ""
) -> pd.DataFrame:
    """The actions each row's figures call for, largest amount at stake first.

    Parameters
    ----------
    frames
        Scope → one row per key (index: account_id, group_id or opportunity_id) with the
        names its rules read; a single frame is the ``account`` scope.  A frame may carry
        ``account_id`` and ``group_id`` columns, shown with its actions.
    rules
        The rules; equal amounts keep the rules' order.
    currency
        ``report.currency``: written before each ``{name:money}`` amount of the texts.
    """
    by_scope = {"account": frames} if isinstance(frames, pd.DataFrame) else frames
    by_scope = {scope: _with_key(frame) for scope, frame in by_scope.items()}
    rows: list[dict[str, Any]] = []
    for rule in rules:
        frame = by_scope.get(rule.scope)
        if frame is None or frame.empty:
            continue
        columns = {c: frame[c] for c in frame.columns}
        hit = Expression(rule.when).evaluate(columns)
        mask = hit.to_numpy(bool) if isinstance(hit, pd.Series) else np.full(len(frame), bool(hit))
        stake = Expression(rule.stake).evaluate(columns)
        amount = pd.to_numeric(pd.Series(stake, index=frame.index), errors="coerce").to_numpy()[mask]
        # plain dicts of the names the texts read, not iterrows: a run may raise thousands of actions
        read = (placeholders(rule.en) | placeholders(rule.zh) | {"account_id", "group_id"}) & set(frame.columns)
        hits = frame.loc[mask, sorted(read)]
        records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in hits.to_dict("records")]
        for key, values, money in zip(hits.index, records, amount, strict=True):
            rows.append(
                {
                    "scope": rule.scope,
                    "key": key,
                    "account_id": key if rule.scope == "account" else values.get("account_id", pd.NA),
                    "group_id": key if rule.scope == "group" else values.get("group_id", pd.NA),
                    "rule": rule.id,
                    "condition": rule.when,
                    "amount": money,
                    "en": fill(rule.en, values, currency=currency),
                    "zh": fill(rule.zh, values, "—", currency),
                }
            )
    result = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    result["amount"] = result["amount"].astype("float64")
    return result.sort_values("amount", ascending=False, kind="stable", na_position="last", ignore_index=True)


def _with_key(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as a column too, so that a text may name the key (``{opportunity_id}``)."""
    name = str(frame.index.name) if frame.index.name is not None else None
    if not name or name in frame.columns:
        return frame
    return frame.assign(**{name: frame.index.to_numpy()})


@functools.cache
def _parsed(template: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """A text's literal parts and placeholders (name, format spec), parsed once per text of the params."""
    parts = []
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        if name is not None and not name.isidentifier():
            raise ParamsError(f"action text placeholder '{{{name}}}' must be a plain name")
        parts.append((literal, name, spec))
    return tuple(parts)


def fill(template: str, values: Mapping[str, Any], missing: str = "n/a", currency: str = "") -> str:
    """Fill ``{name}`` / ``{name:.1f}`` placeholders with the row's values; a missing one reads ``missing``.

    ``{name:money}`` writes an amount as the reports do (:func:`kamreport.params.report.money`:
    ``currency`` first, whole units).

    Only plain names are allowed (no attribute or index access), so a rule's text cannot
    reach into Python objects.
    """
    out = []
    for literal, name, spec in _parsed(template):
        out.append(literal)
        if name is None:
            continue
        value: Any = values.get(name)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append(missing)
            continue
        try:
            out.append(money_text(float(value), currency) if spec == MONEY else format(value, spec or ""))
        except (ValueError, TypeError):
            out.append(str(value))
    return "".join(out)
