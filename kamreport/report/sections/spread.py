"""Accounts that buy in several regions: where the revenue of a region's accounts really was.

With accounts derived from the sales lines, ``resolve`` puts each account in one region and
all of its revenue counts there.  The data-quality chapter of a region (or the company)
lists those accounts with the revenue they bought in other regions
(:attr:`kamreport.facts.Facts.region_spread`), so a manager sees what is counted where.
Kept apart from the chapters' other tables so that the report layout can change without
touching it.
"""

from __future__ import annotations

import pandas as pd

from kamreport.report.format import format_value
from kamreport.report.labels import t
from kamreport.report.sections.base import names
from kamreport.report.views import View

SPREAD_TABLE_COLUMNS = ["account_id", "account_name", "counted_in", "bought_in", "revenue"]
SPREAD_UNITS = {"counted_in": "text", "bought_in": "text", "revenue": "amount"}


def region_spread(view: View) -> pd.DataFrame:
    """The period's revenue of accounts bought outside the region they count in.

    A region's report shows its accounts' purchases in other regions and other regions'
    accounts' purchases in it; the company report shows them all.
    """
    spread = view.facts.region_spread
    if spread is None or spread.empty or view.level not in ("region", "company"):
        return pd.DataFrame(columns=SPREAD_TABLE_COLUMNS)
    rows = spread[(spread["quarter"] == str(view.period)) & (spread["region"] != spread["counted_in"])]
    if view.level == "region":
        rows = rows[(rows["counted_in"] == view.key) | (rows["region"] == view.key)]
    frame = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(),
            "counted_in": rows["counted_in"].astype(str).to_numpy(),
            "bought_in": rows["region"].astype(str).to_numpy(),
            "revenue": rows["revenue"].to_numpy(dtype="float64"),
        }
    ).sort_values(["counted_in", "revenue"], ascending=[True, False], ignore_index=True)
    frame.insert(1, "account_name", frame["account_id"].map(names(view)))
    return frame[SPREAD_TABLE_COLUMNS]


def has_region_spread(view: View) -> bool:
    """Whether some account of the view bought in another region this quarter."""
    return not region_spread(view).empty


def region_spread_note(view: View, frame: pd.DataFrame) -> str | None:
    """How many accounts, the ``resolve`` rule that put each in one region, and (a region) the revenue both ways."""
    if frame.empty:
        return None
    source = view.params.data.tables.get("accounts")
    rule = source.resolve if source is not None else "latest"
    note = t("note.region_spread", view.lang).format(accounts=frame["account_id"].nunique(), rule=rule)
    if view.level != "region":
        return note
    currency = view.params.report.currency
    out = frame.loc[frame["counted_in"] == view.key, "revenue"].sum()
    inside = frame.loc[frame["bought_in"] == view.key, "revenue"].sum()
    both = t("note.region_spread_region", view.lang).format(
        region=view.key,
        out=format_value(out, "amount", view.lang, currency),
        inside=format_value(inside, "amount", view.lang, currency),
    )
    return f"{note} {both}"
