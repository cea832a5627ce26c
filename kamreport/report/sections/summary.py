"""Summary: the five-indicator scorecard, the key numbers, what changed this quarter and the top actions."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from kamreport.params import Language, Rag
from kamreport.registry import KPI_BY_ID, is_meaningful
from kamreport.report.format import NOT_MEANINGFUL, format_value
from kamreport.report.labels import indicator_label, kpi_label, t, value_label
from kamreport.report.sections.accounts import movers
from kamreport.report.sections.actions import top_actions
from kamreport.report.sections.attention import exceptions
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

    The target is the indicator's target where one is set, else the green threshold of the
    KPI its status reads, marked as such in ``target_basis`` (a column shown only when some
    row has a threshold).  Columns ``unit``, ``target_unit`` and ``change_unit`` give each
    row's units (money for sales, shares for the rest; growth for sales, points for the
    rest); ``kpi_id`` names the headline KPI.  A ratio over a small base is not meaningful.
    The figures come from the run's results (:func:`kamreport.kpi.series.scorecard`); the
    status follows ``report.rag``.  (Also what the e-mail summary of a view reads.)
    """
    rows = of_view(view.run.data.results.scorecard, view)
    rag_params = view.params.report.rag
    now, year = view.kpis(), view.kpis(view.period.prior_year)
    params = view.params.kpi

    def ok(kpi: str, values: pd.Series = now) -> bool:
        return is_meaningful(kpi, values, params)

    status = [
        _status(row, rag_params.get(str(row["rag_kpi"])))
        if ok(str(row["rag_kpi"])) and ok(str(row["kpi_id"]))
        else None
        for row in rows.to_dict("records")
    ]
    sales = rows["kpi_id"] == "revenue"
    value_ok = np.array([ok(k) for k in rows["kpi_id"]], dtype=bool)
    year_ok = np.array([ok(k, year) for k in rows["kpi_id"]], dtype=bool)
    target_ok = np.where(sales, ok("attainment"), value_ok)
    change_ok = np.where(sales, ok("growth_yoy"), value_ok & year_ok)
    frame = pd.DataFrame(
        {
            "indicator": [indicator_label(i, view.lang) for i in rows["indicator"]],
            "kpi": [kpi_label(k, view.lang) for k in rows["kpi_id"]],
            "value": rows["value"].astype(object).where(value_ok, NOT_MEANINGFUL),
            "target": rows["target"],
            "target_basis": rows["target_basis"],
            "vs_target": rows["vs_target"].astype(object).where(target_ok, NOT_MEANINGFUL),
            "prior_year": rows["prior_year"].astype(object).where(year_ok, NOT_MEANINGFUL),
            "vs_prior_year": rows["vs_prior_year"].astype(object).where(change_ok, NOT_MEANINGFUL),
            "rag": status,
            "unit": rows["unit"],
            "target_unit": rows["target_unit"],
            "change_unit": rows["change_unit"],
            "kpi_id": rows["kpi_id"],
        }
    )
    if not (rows["target_basis"] == "threshold").any():  # every target is a target: nothing to mark
        frame = frame.drop(columns="target_basis")
    return frame


def action_list(view: View) -> pd.DataFrame:
    """The Summary's top actions as sentences (``Name: action (amount at stake)``), most money at stake first.

    As many as ``report.what_changed_items``; ``account_id`` is kept (hidden) for links.
    """
    top = top_actions(view, view.params.report.what_changed_items)
    lang = view.lang
    line, stake = t("action.line", lang), t("action.at_stake", lang)
    currency = view.params.report.currency
    text = [
        line.format(name=n, action=a)
        + ("" if pd.isna(m) else stake.format(amount=format_value(m, "amount", lang, currency, compact=True)))
        for n, a, m in zip(top["account_name"], top["action"], top["at_stake"], strict=True)
    ]
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
    """What changed, money first: the exceptions of the view's material accounts, position moves, key-account changes.

    The exceptions — share lost, revenue falling, fill-rate misses, overdue receivables, key
    accounts not visited — carry their amount at stake (:mod:`kamreport.planning.exceptions`);
    a position move carries the value of its share change since last quarter (the period
    the position moved over), a key account added or dropped its quarter's revenue.  Each
    kind offers its ``report.what_changed_items`` largest; together they are ranked by the
    amount at stake (said in the sentence) and the first ``what_changed_items`` are kept.
    Accounts below ``report.materiality`` of the view's revenue are left out.  Columns kind,
    account_id, amount (hidden) and text.
    """
    n = view.params.report.what_changed_items
    lang = view.lang
    label = names(view)
    rows: list[tuple[str, str, float, str]] = []
    for record in exceptions(view).groupby("kind", sort=False).head(n).to_dict("records"):
        name = label.get(str(record["account_id"]), record["account_id"])
        rows.append(
            (
                str(record["kind"]),
                str(record["account_id"]),
                float(record["amount"]),
                _exception_text(record, name, view),
            )
        )
    for record in movers(view).head(n).to_dict("records"):
        text = t("changed.mover", lang).format(
            name=label.get(str(record["account_id"]), record["account_id"]),
            before=value_label(record["position_pq"], lang),
            after=value_label(record["position"], lang),
            share_pq=_share(record["share_of_wallet_pq"], lang),
            share=_share(record["share_of_wallet"], lang),
        )
        rows.append(("mover", str(record["account_id"]), abs(float(record["share_change_qoq_value"])), text))
    plan = view.accounts
    revenue = plan["revenue"].astype("float64")
    for kind in ("dropped", "added"):
        changed = revenue[plan["review"] == kind].sort_values(ascending=False).head(n)
        for account_id, amount in changed.items():
            text = t(f"changed.{kind}", lang).format(name=label.get(str(account_id), account_id))
            rows.append((kind, str(account_id), float(amount), text))
    if not rows:
        return pd.DataFrame(
            {"kind": ["nothing"], "account_id": [""], "amount": [np.nan], "text": [t("changed.nothing", lang)]}
        )
    frame = pd.DataFrame(rows, columns=["kind", "account_id", "amount", "text"])
    frame = frame.sort_values("amount", ascending=False, kind="stable").head(n)
    currency = view.params.report.currency
    frame["text"] = [
        text
        if pd.isna(amount)
        else t("changed.at_stake", lang).format(
            text=text, amount=format_value(amount, "amount", lang, currency, compact=True)
        )
        for text, amount in zip(frame["text"], frame["amount"], strict=True)
    ]
    return frame.reset_index(drop=True)


def _status(row: Mapping[Hashable, Any], thresholds: Rag | None) -> str | None:
    """A scorecard row's red / amber / green: against its target where it has one, else ``report.rag``.

    A rate with a target (share of wallet, visit frequency, margin, fill rate) is green at or
    above the target and amber within the width of its ``report.rag`` band below it (5 points
    for share of wallet by default), so the colour never contradicts the target beside it;
    sales read their attainment, which is already measured against the target.
    """
    rag_kpi = str(row["rag_kpi"])
    unit = KPI_BY_ID[rag_kpi].unit if rag_kpi in KPI_BY_ID else ""
    if row["kpi_id"] == "revenue" or row["target_basis"] != "target" or thresholds is None:
        return rag(row["rag_value"], thresholds, unit)
    band = abs(thresholds.green - thresholds.amber) * (100.0 if unit == "share" else 1.0)
    return rag(row["vs_target"], Rag(green=0.0, amber=-band), "pp")


def _share(value: object, lang: Language) -> str:
    return format_value(value, "share", lang)


def _exception_text(row: Mapping[Hashable, Any], name: object, view: View) -> str:
    """One exception as a sentence: who, and the figure that makes it one (amounts, never a ratio over a small base)."""
    lang = view.lang
    currency = view.params.report.currency
    money = partial(format_value, unit="amount", lang=lang, currency=currency, compact=True)
    points = row["share_change_pp"]
    values = {
        "name": name,
        "points": -float(points) if pd.notna(points) else float("nan"),
        "before": money(row["revenue_py"]),
        "now": money(row["revenue"]),
        "unfilled": format_value(row["qty_unfilled"], "quantity", lang),
        "ordered": format_value(row["qty_ordered"], "quantity", lang),
        "overdue": money(row["ar_overdue"]),
        "over_90": money(row["ar_aging_over_90"]),
    }
    return t(f"changed.{row['kind']}", lang).format(**values)


SCORECARD_UNITS = {
    "value": "@unit",
    "target": "@target_unit",
    "target_basis": "label",
    "vs_target": "@change_unit",
    "prior_year": "@unit",
    "vs_prior_year": "@change_unit",
    "rag": "label",
    "indicator": "text",
    "kpi": "text",
}
