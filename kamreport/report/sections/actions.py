"""The recommended actions of a view, most money at stake first (the order of the run's results).

A view holds the actions of its accounts — account rules and opportunity rules, whose rows
name the opportunity's account — and those of the group customers it holds a site of (group
rules: a group plan, and every report with one of the group's sites; not a site's own plan).  The amount at stake
is each rule's ``amount`` (:mod:`kamreport.planning.actions`).
"""

from __future__ import annotations

import pandas as pd

from kamreport.registry import RULE_SCOPES
from kamreport.report.sections.base import memo, names, run_group_names
from kamreport.report.views import View


def recommended(view: View, scopes: tuple[str, ...] = RULE_SCOPES) -> pd.DataFrame:
    """The view's actions of the rule scopes ``scopes``, largest amount at stake first.

    Columns as ``Results.actions`` plus ``name``: the account's name, or the group's for a
    group rule.  Selected once per view (a plan shows them in three chapters); read the
    frame, do not change it.
    """
    every = memo(view, "recommended", lambda: _recommended(view))
    if set(scopes) >= set(RULE_SCOPES):
        return every
    return memo(view, f"recommended {scopes}", lambda: every[every["scope"].isin(scopes)].reset_index(drop=True))


def _recommended(view: View) -> pd.DataFrame:
    actions = view.run.data.results.actions
    mine = actions["account_id"].isin(view.ids)
    # a group customer's own actions go to its group plan and every report holding one of its
    # sites (not to a site's own plan: the group plan is where the group is managed)
    held = view.run.accounts.loc[view.run.accounts["account_id"].isin(view.ids), "group_id"].dropna()
    of_group = (actions["scope"] == "group") & actions["group_id"].isin(held.astype(str)) & (view.level != "account")
    rows = actions[((mine | of_group) & actions["scope"].isin(RULE_SCOPES)).to_numpy(dtype=bool)]
    groups = run_group_names(view)
    name = rows["account_id"].map(names(view))
    group = rows["group_id"].map(lambda g: groups.get(str(g), g) if pd.notna(g) else g)
    return rows.assign(name=name.where(rows["scope"] != "group", group)).reset_index(drop=True)


def top_actions(view: View, n: int = 5) -> pd.DataFrame:
    """The view's recommended actions, most money at stake first, at most ``n`` (what the e-mail summary lists).

    Columns account_id, account_name (the group's name for a group rule), rule, action (in the
    view's language) and at_stake.
    """
    rows = recommended(view).head(n)
    return pd.DataFrame(
        {
            "account_id": rows["account_id"].to_numpy(),
            "account_name": rows["name"].to_numpy(),
            "rule": rows["rule"].to_numpy(),
            "action": rows[view.lang].to_numpy(),
            "at_stake": rows["amount"].to_numpy(dtype="float64"),
        }
    )
