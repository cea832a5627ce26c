"""Value creation (docs/kpis.md, "Plans of record and value creation"): bids, value per win, strategic products.

- The bid register (``bids``): bids won among those decided in the quarter, the price given
  up from the first to the final quote, bids still open.  A bid counts where its opportunity
  does: for the opportunity's own owner at the owner level (:data:`BIDS`), for its account's
  key elsewhere.
- Value creation, the key-account model's formula: share of wallet × win rate × value per win.
- Strategic products (``products.strategic``): their revenue and share of revenue, and the
  share of key accounts that bought one.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kamreport.kpi.base import KpiContext, OwnedRows, isin, ratio
from kamreport.params import KpiParams
from kamreport.periods import quarter_labels

BID_COMPONENTS = ("bids_won", "bids_decided", "bid_first_quote", "bid_final_quote", "bids_open")
_STRATEGIC = ("strategic_revenue", "strategic_buyers")


def bid_rows(ctx: KpiContext) -> pd.DataFrame | None:
    """One row per bid of the accounts in scope: decided bids in the quarter of ``decided``, open ones now.

    The quotes count for the decided bids that have both; ``None`` when the company has no bid register.
    """
    if not ctx.facts.has("bids"):
        return None
    bids = ctx.facts.bids
    bids = bids[isin(bids["account_id"], ctx.accounts["account_id"])]
    decided = bids["result"].isin(["won", "lost"]).to_numpy(dtype=bool)
    quoted = decided & (bids["first_quote"].notna() & bids["final_quote"].notna()).to_numpy(dtype=bool)
    is_open = (bids["result"] == "open").to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "quarter": quarter_labels(bids["decided"]).where(decided, str(ctx.current)),
            "account_id": bids["account_id"],
            "owner": bids["owner"],
            "bids_won": (bids["result"] == "won").astype("float64"),
            "bids_decided": decided.astype("float64"),
            "bid_first_quote": bids["first_quote"].where(quoted, 0.0).astype("float64"),
            "bid_final_quote": bids["final_quote"].where(quoted, 0.0).astype("float64"),
            "bids_open": is_open.astype("float64"),
        }
    )
    return frame.reset_index(drop=True)


# Bids count for their opportunity's own owner at the owner level, like the opportunity (issue 14).
BIDS = OwnedRows(bid_rows, BID_COMPONENTS, current_only=("bids_open",))


def components(ctx: KpiContext) -> pd.DataFrame:
    """Bid counts and quotes, and strategic-product revenue and buyers, per account."""
    frame = BIDS.by_account(ctx)
    if ctx.facts.has("products", "strategic"):
        key = ctx.key_accounts.reindex(ctx.index).astype("float64") if ctx.key_accounts is not None else ctx.missing()
        bought = ctx.by_account(ctx.facts.sales_month, "strategic_lines") > 0
        frame["strategic_revenue"] = ctx.by_account(ctx.facts.sales_month, "strategic_revenue")
        frame["strategic_buyers"] = key * bought.astype("float64")
    else:
        frame.update({name: ctx.missing() for name in _STRATEGIC})
    return pd.DataFrame(frame)


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "bid_win_rate": "bids won / bids won or lost, by `bids.decided` in P (at the owner level, the bids on the "
    "opportunities of that `owner`)",
    "bid_price_erosion": "1 − Σ `final_quote` / Σ `first_quote` over the bids won or lost in P that have both",
    "bids_open": "bids whose `result` is open (today's register: the run's period only)",
    "value_per_win": "`won_amount` / opportunities won, by `close_date` in P",
    "value_creation": "`share_of_wallet` × `win_rate` × `value_per_win` (the key-account model's value "
    "creation; at the owner level share of wallet is the owner's accounts', win rate and value per win the "
    "owner's own opportunities')",
    "strategic_revenue": "revenue of products with `products.strategic` = true",
    "strategic_mix": "`strategic_revenue` / `revenue`",
    "strategic_penetration": "key accounts with at least one sales line of a strategic product (revenue > 0) "
    "in P / `key_accounts`",
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The bid, value-per-win and strategic-product ids from (summed) components."""
    return {
        "bid_win_rate": ratio(c["bids_won"], c["bids_decided"]),
        "bid_price_erosion": 1 - ratio(c["bid_final_quote"], c["bid_first_quote"]),
        "bids_open": c["bids_open"],
        "value_per_win": ratio(c["won_amount"], c["won_count"]),
        "strategic_revenue": c["strategic_revenue"],
        "strategic_mix": ratio(c["strategic_revenue"], c["revenue"]),
        "strategic_penetration": ratio(c["strategic_buyers"], c["key_accounts"]),
    }


def combined(kpis: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """The ids made of other families' values: value creation = share of wallet × win rate × value per win."""
    return {"value_creation": kpis["share_of_wallet"] * kpis["win_rate"] * kpis["value_per_win"]}
