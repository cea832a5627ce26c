"""A computed run, and a view of it for one report: the company, a region, a group or an account.

Notebooks and the workbook writer never filter raw frames themselves: they ask a
:class:`View` for its accounts, its KPIs and its trend, and the section builders
(:mod:`kamreport.report.sections`) turn a view into tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kamreport.compute import Computed
from kamreport.facts import Facts
from kamreport.layout import Layout, Level
from kamreport.params import Language, RunParams
from kamreport.periods import Quarter

if TYPE_CHECKING:
    from kamreport.report.sections.base import Section

# What a view covers: a report level, or an account manager's accounts (no report of their own:
# what the e-mail of `kamreport mail` summarises for them).
ViewLevel = Level | Literal["owner"]
# Output trees already built in this process, by (results key, run folder).
_LAYOUTS: dict[tuple[str, str], Layout] = {}
# Per planning table (by identity: a warm kernel's run keeps its frames from report to report),
# what selecting a view's rows needs: (table, column) → the table and value → row positions;
# table → the table and its group names.  A few tables at most are alive at once.
_ROWS_BY: dict[tuple[int, str], tuple[pd.DataFrame, dict[str, np.ndarray]]] = {}
_GROUP_NAMES: dict[int, tuple[pd.DataFrame, dict[str, str]]] = {}
_CACHED_TABLES = 8


@dataclass
class Run:
    """One computed run (see :func:`kamreport.open_run`), in one language."""

    data: Computed
    language: Language

    @property
    def params(self) -> RunParams:
        """The run's params."""
        return self.data.params

    @property
    def period(self) -> Quarter:
        """The quarter reported."""
        return self.params.quarter

    @property
    def name(self) -> str:
        """The run's name (its folder)."""
        return self.params.name

    @property
    def accounts(self) -> pd.DataFrame:
        """The planning table of every account in scope (accounts.csv plus profile columns)."""
        return self.data.results.accounts

    @property
    def regions(self) -> list[str]:
        """Regions in scope, sorted."""
        return sorted(self.accounts["region"].dropna().astype(str).unique())

    @property
    def key_accounts(self) -> list[str]:
        """Key accounts (each gets an account plan), largest revenue first."""
        key = self.accounts[self.accounts["key_account"].astype(bool)]
        return (
            key.sort_values(["revenue_t4q", "account_id"], ascending=[False, True])["account_id"].astype(str).tolist()
        )

    @property
    def groups(self) -> list[str]:
        """Group customers with at least one key-account site (each gets a group plan)."""
        key = self.accounts[self.accounts["key_account"].astype(bool)]
        return sorted(key["group_id"].dropna().astype(str).unique())

    def layout(self) -> Layout:
        """The run's output tree (built once per run and process: a warm kernel renders many plans)."""
        key = (self.data.key, str(self.params.run_dir))
        if key not in _LAYOUTS:
            accounts = self.accounts
            _LAYOUTS[key] = Layout.build(
                self.params.run_dir,
                self.name,
                self.regions,
                dict(zip(accounts["account_id"].astype(str), accounts["account_name"].astype(str), strict=True)),
                sorted(accounts["group_id"].dropna().astype(str).unique()),
            )
        return _LAYOUTS[key]

    def company(self) -> View:
        """The whole company (the run's scope)."""
        return View(self, "company", "all")

    def region(self, name: str) -> View:
        """One region; a name not in scope is refused with the names that are."""
        if name not in self.regions:
            raise KeyError(f"region {name!r} is not in this run; its regions are {', '.join(self.regions)}")
        return View(self, "region", name)

    def owner(self, name: str) -> View:
        """One account manager's accounts (no report of its own: the e-mail body of ``kamreport mail``)."""
        if name not in rows_by(self.accounts, "owner"):
            raise KeyError(f"account manager {name!r} has no account in this run")
        return View(self, "owner", name)

    def group(self, group_id: str) -> View:
        """One group customer: all its sites."""
        if group_id not in rows_by(self.accounts, "group_id"):
            raise KeyError(f"group {group_id!r} is not in this run")
        return View(self, "group", group_id)

    def account(self, account_id: str) -> View:
        """One account."""
        if account_id not in rows_by(self.accounts, "account_id"):
            raise KeyError(f"account {account_id!r} is not in this run")
        return View(self, "account", account_id)


_COLUMN = {"region": "region", "owner": "owner", "group": "group_id", "account": "account_id"}


def rows_by(accounts: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """Each value of ``column`` (as text; missing values left out) → the positions of its rows in ``accounts``.

    Built once per table and column: a warm kernel renders thousands of plans from one
    planning table, and a boolean mask per plan would scan all its rows every time.
    """
    key = (id(accounts), column)
    cached = _ROWS_BY.get(key)
    if cached is None or cached[0] is not accounts:
        if len(_ROWS_BY) >= _CACHED_TABLES:
            _ROWS_BY.clear()
        values = accounts[column].astype("string")
        indices = values.groupby(values, sort=False).indices if len(values) else {}
        cached = (accounts, {str(k): np.asarray(v) for k, v in indices.items()})
        _ROWS_BY[key] = cached
    return cached[1]


def group_names(accounts: pd.DataFrame) -> dict[str, str]:
    """group_id → the group's name (``accounts.group_name``, the first its sites give), else its id."""
    if "group_name" not in accounts:
        return {}
    cached = _GROUP_NAMES.get(id(accounts))
    if cached is None or cached[0] is not accounts:
        if len(_GROUP_NAMES) >= _CACHED_TABLES:
            _GROUP_NAMES.clear()
        rows = accounts[["group_id", "group_name"]].dropna()
        names = {str(g): str(n) for g, n in rows.drop_duplicates("group_id").itertuples(index=False)}
        cached = _GROUP_NAMES[id(accounts)] = (accounts, names)
    return dict(cached[1])  # a copy: the caller may add to it


@dataclass
class View:
    """What one report covers: a level and its key, over the run."""

    run: Run
    level: ViewLevel
    key: str
    # chapter id → its section, built once (kamreport.report.spec.build_section)
    sections: dict[str, Section] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def lang(self) -> Language:
        """The report's language."""
        return self.run.language

    @property
    def params(self) -> RunParams:
        """The run's params."""
        return self.run.params

    @property
    def period(self) -> Quarter:
        """The quarter reported."""
        return self.run.period

    @cached_property
    def accounts(self) -> pd.DataFrame:
        """Planning rows of the accounts this view covers, indexed by account_id."""
        frame = self.run.accounts
        if self.level != "company":  # the rows whose column, as text, is the key, in the table's order
            frame = frame.iloc[rows_by(frame, _COLUMN[self.level]).get(self.key, np.empty(0, dtype=np.intp))]
        return frame.set_index("account_id")

    @property
    def ids(self) -> pd.Index:
        """The account_ids this view covers."""
        return self.accounts.index

    @cached_property
    def name(self) -> str:
        """What the view is called in titles: the region, the group, the account's name."""
        if self.level == "company":
            return self.params.report.company_name
        if self.level == "account":
            return str(self.accounts["account_name"].iloc[0])
        if self.level == "group":
            return group_names(self.accounts).get(self.key, self.key)
        return self.key

    def kpis(self, period: Quarter | str | None = None) -> pd.Series:
        """The view's KPI values for a quarter (default the run's)."""
        label = str(period or self.period)
        table = self.run.data.results.kpi_table(self.level, label)
        if self.key in table.index:
            return pd.Series(table.loc[self.key])
        return pd.Series(np.nan, index=table.columns, dtype="float64")

    def trend(self, kpis: list[str] | None = None) -> pd.DataFrame:
        """The view's KPIs in every trend quarter (period × KPI id), oldest first."""
        table = self.run.data.results.kpi_series(self.level, self.key)
        return table[kpis] if kpis else table

    def account_kpis(self, period: Quarter | str | None = None) -> pd.DataFrame:
        """KPIs of each account of the view (account_id × KPI id)."""
        return self.run.data.results.kpi_table("account", str(period or self.period)).reindex(self.ids)

    @property
    def facts(self) -> Facts:
        """The run's facts (for sections that need more than KPIs)."""
        return self.run.data.facts

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of a fact frame that belong to this view's accounts."""
        if frame.empty or "account_id" not in frame:
            return frame
        if self.level == "company":
            return frame
        positions = self.run.data.facts.positions(frame)
        found = [positions[a] for a in self.ids if a in positions]
        return frame.iloc[np.sort(np.concatenate(found))] if found else frame.iloc[:0]
