"""Accounts derived from the sales lines, for a company with no customer master.

Each account takes, per column, its latest non-empty value by sales date (``resolve:
latest``) or the value under which it bought the most (``resolve: most_revenue``).  When an
account has several values for a column (a customer who buys in several regions, a renamed
customer) the choice is reported as a ``conflict`` row of the data-quality report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamreport.data.contract import TABLES, complete_columns
from kamreport.data.sources import SOURCE_FILE, RawTable, to_canonical
from kamreport.errors import InputError
from kamreport.params import RunParams, TableSource


@dataclass
class DerivedAccounts:
    """The accounts table and the conflicts met building it."""

    frame: pd.DataFrame
    quality: pd.DataFrame


def derive_accounts(sales: RawTable, sales_spec: TableSource, spec: TableSource, params: RunParams) -> DerivedAccounts:
    """Build ``accounts`` from the raw sales lines with the accounts spec's mapping."""
    table = TABLES["accounts"]
    fmt = params.data.date_format
    accounts = to_canonical(sales, spec, table, fmt, params.base_dir).frame
    lines = to_canonical(sales, sales_spec, TABLES["sales"], fmt, params.base_dir).frame
    accounts = accounts[accounts["account_id"].notna()].copy()
    if accounts.empty:
        raise InputError(
            "table accounts (from sales): no sales line has an account_id; check the accounts columns mapping"
        )
    accounts["_date"] = lines["date"]
    accounts["_revenue"] = lines["revenue"].fillna(0.0)
    accounts["_order"] = range(len(accounts))

    columns = [c for c in table.names if c in accounts and c != "account_id"]
    chosen: dict[str, pd.Series] = {}
    conflicts = []
    for col in columns:
        values = accounts[["account_id", col, "_date", "_revenue", "_order"]].dropna(subset=[col])
        if spec.resolve == "most_revenue":
            ranked = values.groupby(["account_id", col], sort=False).agg(
                _revenue=("_revenue", "sum"), _date=("_date", "max")
            )
            ranked = ranked.reset_index().sort_values(["account_id", "_revenue", "_date"])
        else:
            ranked = values.sort_values(["account_id", "_date", "_order"], na_position="first")
        chosen[col] = ranked.groupby("account_id", sort=False)[col].last()
        seen_by_account = values.groupby("account_id", sort=True)[col].unique()
        rule = "most revenue" if spec.resolve == "most_revenue" else "latest"
        for account_id, seen in seen_by_account[seen_by_account.map(len) > 1].items():
            texts = [str(v) for v in seen]
            kept = chosen[col].get(account_id)
            conflicts.append(
                f"account {account_id}: {len(texts)} values of {col} ({', '.join(texts[:5])}); kept '{kept}' ({rule})"
            )
    frame = pd.DataFrame({"account_id": accounts["account_id"].drop_duplicates().to_numpy()})
    for col in columns:
        frame[col] = frame["account_id"].map(chosen[col])
        frame[col] = frame[col].astype(accounts[col].dtype)
    for spec_col in table.columns:
        if spec_col.default is not None:
            name = spec_col.name
            frame[name] = frame[name].fillna(spec_col.default) if name in frame else spec_col.default
    missing = [c for c in table.required_names if c not in frame or frame[c].isna().any()]
    if missing:
        col = missing[0]
        raise InputError(
            f"table accounts (from sales {sales.files[0]}): {col} is empty for some accounts "
            f"(e.g. {frame.loc[frame[col].isna(), 'account_id'].iloc[0] if col in frame else 'all'}); "
            f"map it in data.tables.accounts.columns, derive it, or look it up (lookups)."
        )
    files = str(sales.frame[SOURCE_FILE].iloc[0])
    quality = pd.DataFrame(
        {
            "table": "accounts",
            "kind": "conflict",
            "source_file": files,
            "source_row": pd.NA,
            "reason": conflicts,
            "row": "",
        }
    )
    frame = complete_columns(frame.sort_values("account_id").reset_index(drop=True), table)
    return DerivedAccounts(frame, quality)
