"""Summary: the five-indicator scorecard, the key numbers, what changed this quarter and the top actions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.registry import KPI_BY_ID
from kamreport.report.format import format_value
from kamreport.report.labels import indicator_label, kpi_label, t, value_label
from kamreport.report.sections.base import names, of_view, rag
from kamreport.report.views import View

KEY_NUMBERS = (
    "revenue",
    "gross_profit",
    "contribution",
    "won_amount",
    "pipeline_amount",
    "weighted_pipeline",
    "next_quarter_target",
    "visits_completed",
    "ar_overdue",
)


def scorecard(view: View) -> pd.DataFrame:
    """The five indicators of the view: value, target, vs target, last year, vs last year, RAG status.

    Columns ``unit`` and ``change_unit`` give each row's units (money for sales, shares for
    the rest; growth for sales, points for the rest); ``kpi_id`` names the headline KPI.
    The figures come from the run's results (:func:`kamreport.kpi.series.scorecard`); the
    status follows ``report.rag``.  (Also what the e-mail summary of a view reads.)
    """
    rows = of_view(view.run.data.results.scorecard, view)
    rag_params = view.params.report.rag
    status = [
        rag(v, rag_params.get(k), KPI_BY_ID[k].unit if k in KPI_BY_ID else "")
        for v, k in zip(rows["rag_value"], rows["rag_kpi"], strict=True)
    ]
    return pd.DataFrame(
        {
            "indicator": [indicator_label(i, view.lang) for i in rows["indicator"]],
            "kpi": [kpi_label(k, view.lang) for k in rows["kpi_id"]],
            "value": rows["value"],
            "target": rows["target"],
            "vs_target": rows["vs_target"],
            "prior_year": rows["prior_year"],
            "vs_prior_year": rows["vs_prior_year"],
            "rag": status,
            "unit": rows["unit"],
            "change_unit": rows["change_unit"],
            "kpi_id": rows["kpi_id"],
        }
    )


def top_actions(view: View, n: int = 5) -> pd.DataFrame:
    """The view's recommended actions, largest accounts first, at most ``n`` (what the e-mail summary lists).

    Columns account_id, account_name, rule and action (in the view's language).
    """
    recommended = view.run.data.results.actions
    rows = recommended[recommended["account_id"].isin(view.ids)]
    size = view.accounts["revenue_t4q"].reindex(rows["account_id"]).to_numpy()
    rows = rows.assign(_size=size).sort_values(["_size", "account_id"], ascending=[False, True]).head(n)
    return pd.DataFrame(
        {
            "account_id": rows["account_id"].to_numpy(),
            "account_name": rows["account_id"].map(names(view)).to_numpy(),
            "rule": rows["rule"].to_numpy(),
            "action": rows[view.lang].to_numpy(),
        }
    )


def action_list(view: View) -> pd.DataFrame:
    """The Summary's top actions as sentences (``Name: action``), largest accounts first.

    As many as ``report.what_changed_items``; ``account_id`` is kept (hidden) for links.
    """
    top = top_actions(view, view.params.report.what_changed_items)
    line = t("action.line", view.lang)
    text = [line.format(name=n, action=a) for n, a in zip(top["account_name"], top["action"], strict=True)]
    return pd.DataFrame({"account_id": top["account_id"], "text": text})


def key_numbers(view: View) -> pd.DataFrame:
    """The quarter's key amounts and counts (item, value, unit)."""
    now = view.kpis()
    accounts = view.accounts
    rows = [(kpi_label(k, view.lang), now.get(k, np.nan), KPI_BY_ID[k].unit) for k in KEY_NUMBERS]
    rows.insert(0, (t("count.accounts", view.lang), float(len(accounts)), "count"))
    rows.insert(1, (t("count.key_accounts", view.lang), float(accounts["key_account"].sum()), "count"))
    return pd.DataFrame(rows, columns=["item", "value", "unit"])


def what_changed(view: View) -> pd.DataFrame:
    """What changed, money first: share losses, position moves, key accounts added and dropped, poor fill rates.

    Each kind offers its ``report.what_changed_items`` worst cases; together they are ranked
    by the revenue at stake (the account's revenue over the last four quarters, said in the
    sentence) and the first ``what_changed_items`` are kept.  Columns kind, account_id,
    revenue_t4q (hidden) and text.
    """
    n = view.params.report.what_changed_items
    accounts = view.accounts
    kpis = view.account_kpis()
    label = names(view)
    lang = view.lang
    rows: list[tuple[str, str, str]] = []

    losses = kpis["share_change_pp"].dropna()
    for account_id, value in losses[losses.round(1) < 0].sort_values().head(n).items():
        name = label.get(str(account_id), account_id)
        rows.append(("share_loss", str(account_id), t("changed.share_loss", lang).format(name=name, value=-value)))
    moved = accounts[accounts["position"].fillna("unknown") != accounts["position_pq"].fillna("unknown")]
    for account_id, row in moved.sort_values("revenue_t4q", ascending=False).head(n).iterrows():
        text = t("changed.mover", lang).format(
            name=row["account_name"],
            before=value_label(row["position_pq"], lang),
            after=value_label(row["position"], lang),
        )
        rows.append(("mover", str(account_id), text))
    for kind in ("dropped", "added"):
        changed = accounts[accounts["review"] == kind].sort_values("revenue_t4q", ascending=False).head(n)
        for account_id, row in changed.iterrows():
            rows.append((kind, str(account_id), t(f"changed.{kind}", lang).format(name=row["account_name"])))
    fill = kpis.loc[kpis["qty_ordered"] > 0, "fill_rate"].dropna().sort_values().head(n)
    for account_id, value in fill[fill < 0.95].items():
        name = label.get(str(account_id), account_id)
        rows.append(("fill_rate", str(account_id), t("changed.fill_rate", lang).format(name=name, value=value)))
    if not rows:
        return pd.DataFrame(
            {"kind": ["nothing"], "account_id": [""], "revenue_t4q": [np.nan], "text": [t("changed.nothing", lang)]}
        )
    frame = pd.DataFrame(rows, columns=["kind", "account_id", "text"])
    frame["revenue_t4q"] = accounts["revenue_t4q"].reindex(frame["account_id"]).to_numpy(dtype="float64")
    frame = frame.sort_values("revenue_t4q", ascending=False, kind="stable").head(n)
    currency = view.params.report.currency
    frame["text"] = [
        t("changed.at_stake", lang).format(
            text=text, amount=format_value(amount, "amount", lang, currency, compact=True)
        )
        for text, amount in zip(frame["text"], frame["revenue_t4q"], strict=True)
    ]
    return frame[["kind", "account_id", "revenue_t4q", "text"]].reset_index(drop=True)


SCORECARD_UNITS = {
    "value": "@unit",
    "target": "@unit",
    "vs_target": "share",
    "prior_year": "@unit",
    "vs_prior_year": "@change_unit",
    "rag": "label",
    "indicator": "text",
    "kpi": "text",
}
