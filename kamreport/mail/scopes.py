"""What a recipient's ``scope`` names, and the run folder's files that belong to it.

``company``, ``region:<region>``, ``owner:<account manager>`` and ``group:<group_id>``.  A
scope's *main* workbook is the company or region report or the group plan; an account
manager's are the plans of their key accounts.  Nothing of another scope is ever listed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from kamreport.errors import RecipientError
from kamreport.report.views import Run

ScopeKind = Literal["company", "region", "owner", "group"]
KINDS: tuple[ScopeKind, ...] = ("company", "region", "owner", "group")
_FORMS = "company, region:<region>, owner:<account manager> or group:<group_id>"


@dataclass(frozen=True)
class Scope:
    """One scope: its kind and its key (``all`` for the company)."""

    kind: ScopeKind
    key: str

    @property
    def id(self) -> str:
        """As written in the recipients file: ``company`` or ``region:East``."""
        return "company" if self.kind == "company" else f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class ScopeFiles:
    """The run folder's workbooks of one scope."""

    main: Path | None
    plans: tuple[Path, ...] = ()
    missing_plans: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[Path, ...]:
        """Every file of the scope, the main workbook first."""
        return ((self.main,) if self.main else ()) + self.plans


def parse_scope(text: str) -> Scope:
    """``region:East`` → ``Scope("region", "East")`` (spaces around the parts ignored).

    Raises
    ------
    RecipientError
        Not one of the four forms.
    """
    kind, _, key = (part.strip() for part in text.strip().partition(":"))
    kind = kind.lower()
    if kind == "company" and not key:
        return Scope("company", "all")
    if kind in KINDS and kind != "company" and key:
        return Scope(cast(ScopeKind, kind), key)
    raise RecipientError(f"unknown scope '{text}': write {_FORMS}")


def scope_files(run: Run, scope: Scope) -> ScopeFiles:
    """The scope's workbooks that exist in the run folder.

    Raises
    ------
    RecipientError
        The scope names a region, account manager or group the run does not have (unknown
        scope), or its report was not made in this run folder (scope without a report).
    """
    layout = run.layout()
    accounts = run.accounts
    if scope.kind == "owner":
        owners = sorted(accounts["owner"].dropna().astype(str).unique())
        _known(scope, owners, "account manager")
        key = set(run.key_accounts)
        mine = accounts[(accounts["owner"].astype("string") == scope.key) & accounts["account_id"].isin(key)]
        ids = sorted(mine["account_id"].astype(str))
        paths = [layout.files("account", a).xlsx for a in ids]
        found = tuple(p for p in paths if p.is_file())
        if ids and not found:
            folder = run.params.run_dir
            raise RecipientError(f"scope without a report: no plan of {scope.key}'s key accounts in {folder}")
        missing = tuple(a for a, p in zip(ids, paths, strict=True) if not p.is_file())
        return ScopeFiles(None, found, missing)
    if scope.kind == "region":
        _known(scope, run.regions, "region")
        path = layout.files("region", scope.key).xlsx
    elif scope.kind == "group":
        _known(scope, sorted(accounts["group_id"].dropna().astype(str).unique()), "group")
        if scope.key not in run.groups:
            raise RecipientError(f"scope without a report: group {scope.key} has no key-account site, so no plan")
        path = layout.files("group", scope.key).xlsx
    else:
        path = layout.files("company", "all").xlsx
    if not path.is_file():
        raise RecipientError(f"scope without a report: {path.name} is not in {run.params.run_dir}")
    return ScopeFiles(path)


def _known(scope: Scope, names: list[str], what: str) -> None:
    if scope.key in names:
        return
    close = difflib.get_close_matches(scope.key, names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise RecipientError(f"unknown scope '{scope.id}': no {what} '{scope.key}' in this run{hint}")
