"""Profit: the bridge from revenue to contribution and the accounts behind it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.report.labels import t
from kamreport.report.sections.base import Section, Table, absent, with_names
from kamreport.report.views import View

PROFIT_COLUMNS = [
    "revenue",
    "gross_profit",
    "gross_margin",
    "trade_spend",
    "contribution",
    "contribution_margin",
    "spend_efficiency",
]


def bridge(view: View) -> pd.DataFrame:
    """Revenue → (revenue without cost) → cost → gross profit → trade spend → contribution.

    Steps are signed so that each subtotal is the sum of the steps above it; ``kind`` says
    which rows are totals (for the bridge chart).
    """
    k = view.kpis()
    revenue = k["revenue"]
    gross_profit = k["gross_profit"]
    cost = k["cost"]
    unknown = revenue - (gross_profit + cost)
    spend = k["trade_spend"]
    rows = [("bridge.revenue", revenue, "total")]
    if abs(unknown) > 1e-6 * max(abs(revenue), 1):
        rows.append(("bridge.unknown_cost", -unknown, "step"))
    rows += [
        ("bridge.cost", -cost, "step"),
        ("bridge.gross_profit", gross_profit, "total"),
        ("bridge.spend", -spend if not np.isnan(spend) else np.nan, "step"),
        ("bridge.contribution", k["contribution"], "total"),
    ]
    return pd.DataFrame(
        {
            "step": [t(key, view.lang) for key, _, _ in rows],
            "value": [v for _, v, _ in rows],
            "kind": [kind for *_, kind in rows],
        }
    )


def by_account(view: View, n: int = 50) -> pd.DataFrame:
    """The view's accounts by contribution (gross profit where spend is absent)."""
    kpis = view.account_kpis()[PROFIT_COLUMNS]
    order = "contribution" if kpis["contribution"].notna().any() else "gross_profit"
    rows = kpis.sort_values(order, ascending=False).head(n)
    frame = rows.rename_axis("account_id").reset_index()
    return with_names(frame, view)


def profit(view: View) -> Section:
    """The Profit sheet."""
    if not view.facts.has("sales", "cost"):
        return absent(view, "profit", "sales (its cost column)")
    lang = view.lang
    tables = [
        Table(
            "bridge", t("title.profit", lang), bridge(view), units={"step": "text", "value": "amount"}, hidden=("kind",)
        ),
        Table("by_account", t("title.profit_accounts", lang), by_account(view)),
    ]
    return Section("profit", t("title.profit", lang), t("intro.profit", lang), tables)
