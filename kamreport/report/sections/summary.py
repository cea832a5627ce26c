"""Summary: the five-indicator scorecard, the key numbers and what changed this quarter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.registry import KPI_BY_ID
from kamreport.report.labels import indicator_label, kpi_label, t, value_label
from kamreport.report.sections.base import Section, Table, names, rag
from kamreport.report.sections.trends import revenue_by_month
from kamreport.report.views import View

# indicator → (headline KPI, target KPI or a constant, vs-target KPI, RAG KPI)
_SCORECARD: tuple[tuple[str, str, str | float | None, str | None, str], ...] = (
    ("sales", "revenue", "revenue_target", "attainment", "attainment"),
    ("share", "share_of_wallet", None, None, "share_change_pp"),
    ("execution", "frequency_attainment", 1.0, "frequency_attainment", "frequency_attainment"),
    ("profit", "gross_margin", None, None, "gross_margin"),
    ("fill_rate", "fill_rate", None, None, "fill_rate"),
)
_KEY_NUMBERS = (
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
    """The five indicators: value, target, vs target, last year, vs last year, RAG status.

    Columns ``unit`` and ``change_unit`` give each row's units (money for sales, shares for
    the rest; growth for sales, points for the rest).
    """
    now = view.kpis()
    last_year = view.kpis(view.period.prior_year)
    rows = []
    for indicator, kpi, target, vs_target, rag_kpi in _SCORECARD:
        value = now.get(kpi, np.nan)
        target_value = (
            now.get(target, np.nan) if isinstance(target, str) else (target if target is not None else np.nan)
        )
        py = now["revenue_py"] if kpi == "revenue" else last_year.get(kpi, np.nan)
        change = now["growth_yoy"] if kpi == "revenue" else 100 * (value - py)
        rows.append(
            {
                "indicator": indicator_label(indicator, view.lang),
                "kpi": kpi_label(kpi, view.lang),
                "value": value,
                "target": target_value,
                "vs_target": now.get(vs_target, np.nan) if vs_target else np.nan,
                "prior_year": py,
                "vs_prior_year": change,
                "rag": rag(now.get(rag_kpi, np.nan), view.params.report.rag.get(rag_kpi)),
                "unit": KPI_BY_ID[kpi].unit,
                "change_unit": "share" if kpi == "revenue" else "pp",
                "kpi_id": kpi,
            }
        )
    return pd.DataFrame(rows)


def key_numbers(view: View) -> pd.DataFrame:
    """The quarter's key amounts and counts (item, value, unit)."""
    now = view.kpis()
    accounts = view.accounts
    rows = [(kpi_label(k, view.lang), now.get(k, np.nan), KPI_BY_ID[k].unit) for k in _KEY_NUMBERS]
    rows.insert(0, (t("count.accounts", view.lang), float(len(accounts)), "count"))
    rows.insert(1, (t("count.key_accounts", view.lang), float(accounts["key_account"].sum()), "count"))
    return pd.DataFrame(rows, columns=["item", "value", "unit"])


def what_changed(view: View) -> pd.DataFrame:
    """Generated sentences: biggest share losses, position movers, key accounts added / dropped, worst fill rates."""
    n = view.params.report.what_changed_items
    accounts = view.accounts
    kpis = view.account_kpis()
    label = names(view)
    lang = view.lang
    rows: list[tuple[str, str, str]] = []

    losses = kpis["share_change_pp"].dropna()
    for account_id, value in losses[losses < 0].sort_values().head(n).items():
        rows.append(
            (
                "share_loss",
                str(account_id),
                t("changed.share_loss", lang).format(name=label.get(str(account_id), account_id), value=-value),
            )
        )
    moved = accounts[accounts["position"].fillna("unknown") != accounts["position_pq"].fillna("unknown")]
    moved = moved.sort_values("revenue_t4q", ascending=False).head(n)
    for account_id, row in moved.iterrows():
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
        rows.append(
            (
                "fill_rate",
                str(account_id),
                t("changed.fill_rate", lang).format(name=label.get(str(account_id), account_id), value=value),
            )
        )
    if not rows:
        rows.append(("nothing", "", t("changed.nothing", lang)))
    return pd.DataFrame(rows, columns=["kind", "account_id", "text"])


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


def scorecard_table(view: View) -> Table:
    """The scorecard as a section table (rows carry their own units)."""
    return Table(
        "scorecard",
        t("title.summary", view.lang),
        scorecard(view),
        units=dict(SCORECARD_UNITS),
        hidden=("unit", "change_unit", "kpi_id"),
    )


def summary(view: View) -> Section:
    """The Summary sheet / the report's opening."""
    lang = view.lang
    score = scorecard_table(view)
    numbers = Table(
        "key_numbers",
        t("title.key_numbers", lang),
        key_numbers(view),
        units={"item": "text", "value": "@unit"},
        hidden=("unit",),
    )
    changed = Table(
        "what_changed",
        t("title.what_changed", lang),
        what_changed(view),
        units={"text": "text"},
        hidden=("kind", "account_id"),
    )
    monthly = Table("revenue_by_month", t("title.revenue_trend", lang), revenue_by_month(view))
    return Section("summary", t("title.summary", lang), t("intro.summary", lang), [score, numbers, changed, monthly])
