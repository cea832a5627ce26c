"""Master tables derived from the sales lines, for a company with no customer or product master.

``accounts`` (one row per ``account_id``) and ``products`` (one per ``product_code``) can be
built from columns of the sales export.  Each key takes, per column, its latest non-empty
value by sales date (``resolve: latest``) or the value under which it sold the most
(``resolve: most_revenue``).  When a key has several values for a column (a customer who
buys in several regions, a product renamed) the choice is reported as a ``conflict`` row of
the data-quality report, and for a customer who buys in several regions the revenue it bought
outside the region it was put in is kept (:attr:`Derived.spread`), so that each region's
report can say where its accounts' other revenue went.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamreport.contract import TABLES
from kamreport.data.canonical import to_canonical
from kamreport.data.raw import RawTable
from kamreport.data.schema import complete_columns, present_columns
from kamreport.errors import InputError
from kamreport.params import RunParams, TableSource

DERIVABLE = ("accounts", "products")
# Revenue per account, region bought in and quarter, for accounts that bought in several
# regions; ``counted_in`` is the region the account was put in.
SPREAD_COLUMNS = ["account_id", "counted_in", "region", "quarter", "revenue"]


@dataclass
class Derived:
    """A derived master table, the conflicts met building it, and (accounts) the region spread."""

    frame: pd.DataFrame
    quality: pd.DataFrame
    present: list[str]
    spread: pd.DataFrame


def derive_table(name: str, sales: RawTable, sales_spec: TableSource, spec: TableSource, params: RunParams) -> Derived:
    """Build the master table ``name`` from the raw sales lines with its spec's mapping."""
    table = TABLES[name]
    key = table.key[0]
    fmt = params.data.date_format
    max_abs = params.validation.max_abs_number
    canonical = to_canonical(sales, spec, table, fmt, params.base_dir, max_abs)
    rows = canonical.frame
    lines = to_canonical(sales, sales_spec, TABLES["sales"], fmt, params.base_dir, max_abs).frame
    rows = rows[rows[key].notna()].copy()
    if rows.empty:
        raise InputError(f"table {name} (from sales): no sales line has a {key}; check the {name} columns mapping")
    rows["_date"] = lines["date"]
    rows["_revenue"] = lines["revenue"].fillna(0.0)
    rows["_order"] = range(len(rows))
    accounts = rows.rename(columns={key: "account_id"}) if key != "account_id" else rows

    columns = [c for c in table.names if c in accounts and c != key]
    chosen: dict[str, pd.Series] = {}
    conflicts = []
    spread = pd.DataFrame(columns=SPREAD_COLUMNS)
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
        if col == "region":
            several = seen_by_account.index[seen_by_account.map(len) > 1]
            spread = _region_spread(values[values["account_id"].isin(several)], chosen[col])
        rule = "most revenue" if spec.resolve == "most_revenue" else "latest"
        for account_id, seen in seen_by_account[seen_by_account.map(len) > 1].items():
            texts = [str(v) for v in seen]
            kept = chosen[col].get(account_id)
            conflicts.append(
                f"{key} {account_id}: {len(texts)} values of {col} ({', '.join(texts[:5])}); kept '{kept}' ({rule})"
            )
    frame = pd.DataFrame({key: accounts["account_id"].drop_duplicates().to_numpy()})
    for col in columns:
        frame[col] = frame[key].map(chosen[col])
        frame[col] = frame[col].astype(accounts[col].dtype)
    for spec_col in table.columns:
        if spec_col.default is not None:
            column = spec_col.name
            frame[column] = frame[column].fillna(spec_col.default) if column in frame else spec_col.default
    missing = [c for c in table.required_names if c not in frame or frame[c].isna().any()]
    if missing:
        col = missing[0]
        example = frame.loc[frame[col].isna(), key].iloc[0] if col in frame else "all"
        failed = canonical.failures[canonical.failures["column"] == col]["reason"]
        why = f" ({failed.iloc[0]})" if len(failed) else ""
        raise InputError(
            f"table {name} (from sales {sales.files[0]}): {col} is empty for some rows (e.g. {key} {example}){why}; "
            f"map it in data.tables.{name}.columns, derive it, or look it up (lookups)."
        )
    files = sales.origins[int(sales.file_codes[0])] if sales.num_rows else ""
    quality = pd.DataFrame(
        {
            "table": name,
            "kind": "conflict",
            "source_file": files,
            "source_row": pd.NA,
            "reason": conflicts,
            "row": "",
        }
    )
    present = present_columns(frame.columns, table)
    frame = complete_columns(frame.sort_values(key).reset_index(drop=True), table)
    return Derived(frame, quality, present, spread)


def _region_spread(lines: pd.DataFrame, kept: pd.Series) -> pd.DataFrame:
    """Revenue per account, region and quarter of the lines of accounts seen in several regions."""
    lines = lines[lines["_date"].notna()]
    if lines.empty:
        return pd.DataFrame(columns=SPREAD_COLUMNS)
    dates = lines["_date"].dt
    quarter = dates.year.astype(str) + "Q" + dates.quarter.astype(str)
    grouped = (
        lines.assign(quarter=quarter.to_numpy(), region=lines["region"].astype("string"))
        .groupby(["account_id", "region", "quarter"], sort=True, observed=True)["_revenue"]
        .sum()
        .reset_index()
        .rename(columns={"_revenue": "revenue"})
    )
    grouped["counted_in"] = grouped["account_id"].map(kept).astype("string")
    grouped["account_id"] = grouped["account_id"].astype("string")
    return grouped[SPREAD_COLUMNS]
