"""Accounts that buy in several regions: where the revenue of a region's accounts really was.

Kept apart from the chapters themselves (the data-quality chapter appends this table) so
that the report layout can change without touching it.  The data comes from
:attr:`kamreport.facts.Facts.region_spread`: with accounts derived from the sales lines,
``resolve`` puts each account in one region and all of its revenue counts there.
"""

from __future__ import annotations

import pandas as pd

from kamreport.report.labels import t
from kamreport.report.sections.base import Table, names
from kamreport.report.views import View

SPREAD_TABLE_COLUMNS = ["account_id", "account_name", "counted_in", "bought_in", "revenue"]


def region_spread(view: View) -> Table | None:
    """The run's-period revenue of accounts that bought outside the region they count in (None when there is none).

    A region's report shows its accounts' purchases in other regions and other regions'
    accounts' purchases in it; the company report shows them all.
    """
    spread = view.facts.region_spread
    if spread is None or spread.empty:
        return None
    rows = spread[(spread["quarter"] == str(view.period)) & (spread["region"] != spread["counted_in"])]
    if view.level == "region":
        rows = rows[(rows["counted_in"] == view.key) | (rows["region"] == view.key)]
    elif view.level != "company":
        return None
    if rows.empty:
        return None
    frame = pd.DataFrame(
        {
            "account_id": rows["account_id"].astype(str).to_numpy(),
            "counted_in": rows["counted_in"].to_numpy(),
            "bought_in": rows["region"].to_numpy(),
            "revenue": rows["revenue"].to_numpy(),
        }
    ).sort_values(["counted_in", "revenue"], ascending=[True, False], ignore_index=True)
    frame.insert(1, "account_name", frame["account_id"].map(names(view)))
    note = t("note.region_spread", view.lang).format(
        accounts=frame["account_id"].nunique(), rule=view.params.data.tables["accounts"].resolve
    )
    units = {"counted_in": "text", "bought_in": "text", "revenue": "amount"}
    return Table("region_spread", t("title.region_spread", view.lang), frame[SPREAD_TABLE_COLUMNS], units, note)
