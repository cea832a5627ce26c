"""A view selects its accounts' rows by positions indexed once per table: the rows a boolean mask selects, in order."""

from __future__ import annotations

import pandas as pd
import pytest

from kamreport.registry import KPI_IDS
from kamreport.report.views import group_names

COLUMNS = {"region": "region", "owner": "owner", "group": "group_id", "account": "account_id"}


def test_a_view_holds_the_rows_whose_column_is_its_key(demo_run):
    accounts = demo_run.accounts
    owners = sorted(accounts["owner"].dropna().astype(str).unique())
    cases = (
        [("region", r) for r in demo_run.regions]
        + [("owner", o) for o in owners[:3]]
        + [("group", g) for g in demo_run.groups[:3]]
        + [("account", a) for a in demo_run.key_accounts[:3]]
    )
    for level, key in cases:
        view = getattr(demo_run, level)(key)
        pairs = zip(accounts["account_id"], accounts[COLUMNS[level]], strict=True)
        wanted = [str(a) for a, v in pairs if str(v) == key]
        assert view.ids.tolist() == wanted and wanted, (level, key)  # the table's order
        mask = accounts[COLUMNS[level]].astype("string") == key
        pd.testing.assert_frame_equal(view.accounts, accounts[mask].set_index("account_id"))
    assert len(demo_run.company().accounts) == len(accounts)


@pytest.mark.parametrize("level", ["owner", "group", "account"])
def test_a_key_not_in_the_run_is_refused(demo_run, level):
    with pytest.raises(KeyError, match=r"not in this run|has no account"):
        getattr(demo_run, level)("no such key")


def test_group_names_are_a_copy_the_caller_may_change(demo_run):
    names = group_names(demo_run.accounts)
    first = next(iter(names))
    names[first] = "changed"
    assert group_names(demo_run.accounts)[first] != "changed"


def test_an_accounts_trend_is_its_rows_of_the_history(demo_run):
    history = demo_run.data.results.history
    account = demo_run.key_accounts[0]
    trend = demo_run.account(account).trend()
    rows = history[history["account_id"] == account]
    assert trend.index.tolist() == sorted(rows["period"].tolist()) and len(trend) == 8  # 8 trend quarters
    pd.testing.assert_frame_equal(trend, rows.set_index("period")[list(KPI_IDS)].sort_index())
    assert demo_run.data.results.kpi_series("account", "no such account").empty
