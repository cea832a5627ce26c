"""Relationship stage and planning level of each account (docs/kpis.md, "Relationship stage and planning level").

Both come from ordered rules in the params (``planning.relationship``): an account takes the
value of the first rule whose condition holds, else the list's ``otherwise``.  The defaults
follow the key-account model: a **strategic** relationship is a tier-A account we hold
(position maintain) for at least eight quarters, a **value** relationship any other key
account we maintain or defend, the rest **transactional**; the planning level is
**partner** for a strategic relationship, **strategic** for a tier-A account in attack or
defend, **issue-driven** for any other account with a recommended action and **reactive**
for the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.expressions import Expression
from kamreport.params.relationship import ClassRule
from kamreport.periods import Quarter


def history_quarters(sales_month: pd.DataFrame, ids: pd.Index, period: Quarter) -> pd.Series:
    """Quarters from each account's first sales line to ``period``, both counted (0 without a line by then)."""
    if sales_month.empty:
        return pd.Series(0.0, index=ids, dtype="float64")
    rows = sales_month[sales_month["quarter"] <= str(period)]
    first = rows.groupby("account_id")["quarter"].min()
    count = {q: _quarters_between(Quarter.parse(q), period) for q in pd.unique(first.to_numpy())}
    return first.map(count).astype("float64").reindex(ids).fillna(0.0)


def _quarters_between(first: Quarter, last: Quarter) -> int:
    return (last.year - first.year) * 4 + (last.q - first.q) + 1


def classify(rows: pd.DataFrame, rules: list[ClassRule], otherwise: str) -> pd.Series:
    """The value of the first rule whose condition holds for each row, else ``otherwise`` (index kept)."""
    columns = {str(c): rows[c] for c in rows.columns}
    result = pd.Series(otherwise, index=rows.index, dtype="object")
    decided = np.zeros(len(rows), dtype=bool)
    for rule in rules:
        hit = Expression(rule.when).evaluate(columns)
        mask = hit.to_numpy(dtype=bool, na_value=False) if isinstance(hit, pd.Series) else np.full(len(rows), bool(hit))
        new = mask & ~decided
        result[new] = rule.value
        decided |= new
    return result.astype("string")


def action_counts(actions: pd.DataFrame, ids: pd.Index) -> pd.Series:
    """Recommended actions per account (its own and its opportunities'), 0 for an account with none."""
    named = actions["account_id"].dropna() if len(actions) else pd.Series(dtype="string")
    return named.astype(str).value_counts().astype("float64").reindex(ids.astype(str)).fillna(0.0).set_axis(ids)
