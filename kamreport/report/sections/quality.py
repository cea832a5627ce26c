"""Data quality and Notes: what was read and set aside, what every figure means, what the run used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

import kamreport
from kamreport.records import summary_frame
from kamreport.registry import KPIS
from kamreport.report.labels import kpi_definition, kpi_label, reason_text, run_text, t, table_label, value_label
from kamreport.report.sections.accounts import ACCOUNT_COLUMNS
from kamreport.report.sections.operations import OWNER_EXECUTION, REP_COLUMNS
from kamreport.report.sections.pipeline import FORECAST_COLUMNS
from kamreport.report.sections.profit import PROFIT_COLUMNS
from kamreport.report.sections.summary import KEY_NUMBERS
from kamreport.report.views import View

# KPI columns of the reports' tables besides the scorecard (whose KPIs come with the results)
SHOWN_KPIS = (
    *KEY_NUMBERS,
    *ACCOUNT_COLUMNS,
    *FORECAST_COLUMNS,
    *OWNER_EXECUTION,
    *REP_COLUMNS,
    *PROFIT_COLUMNS,
    "fill_rate",
    "otif_rate",
    "last_week_share",
    "share_change_pp",
)

MAX_QUALITY_ROWS = 30  # the report shows the first; data_quality.csv has them all


def input_tables(view: View) -> pd.DataFrame:
    """Every input table: rows read, used and set aside, and why (in the report's language)."""
    frame = summary_frame(view.run.data.reports)
    return frame.assign(
        table=[table_label(name, view.lang) for name in frame["table"]],
        reasons=[reason_text(text, view.lang) for text in frame["reasons"]],
    )


def has_quality_rows(view: View) -> bool:
    """Whether any row was set aside, conflicted or noted."""
    return len(view.run.data.quality) > 0


def quality_rows(view: View, limit: int = MAX_QUALITY_ROWS) -> pd.DataFrame:
    """Set-aside rows, conflicts and notes (the first ``limit``), file names without their folders."""
    quality = view.run.data.quality
    frame = quality.head(limit)
    frame = frame.assign(
        table=[table_label(name, view.lang) for name in frame["table"]],
        source_file=[
            ", ".join(Path(p.strip()).name for p in str(f).split(",")) if f else f for f in frame["source_file"]
        ],
        kind=[value_label(k, view.lang) for k in frame["kind"]],
        reason=[reason_text(str(r), view.lang) for r in frame["reason"]],
    )
    return frame.reset_index(drop=True)


def quality_note(view: View, _frame: pd.DataFrame, limit: int = MAX_QUALITY_ROWS) -> str | None:
    """A sentence when some set-aside rows are not shown."""
    total = len(view.run.data.quality)
    return t("more_rows", view.lang).format(shown=limit, total=total) if total > limit else None


def shown_kpis(view: View) -> list[str]:
    """The KPI ids a report shows (scorecard, key numbers and every table's KPI columns), in registry order."""
    shown = set(SHOWN_KPIS) | set(view.run.data.results.scorecard["kpi_id"].astype(str))
    return [k.id for k in KPIS if k.id in shown]


def definitions(view: View) -> pd.DataFrame:
    """The definition of every KPI the report shows (kpis.csv and docs/kpis.md define them all)."""
    ids = shown_kpis(view)
    return pd.DataFrame(
        {
            "measure": [kpi_label(k, view.lang) for k in ids],
            "definition": [run_text(kpi_definition(k, view.lang), view.params) for k in ids],
            "kpi": ids,
        }
    )


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested params as (dotted key, value as text) pairs."""
    if isinstance(value, dict):
        pairs: list[tuple[str, str]] = []
        for key, inner in value.items():
            pairs.extend(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return pairs or [(prefix, "{}")]
    if isinstance(value, list) and value and isinstance(value[0], dict) and "id" in value[0]:
        return [
            pair
            for item in value
            for pair in flatten({k: v for k, v in item.items() if k != "id"}, f"{prefix}[{item['id']}]")
        ]
    if isinstance(value, list | tuple):
        return [(prefix, json.dumps(list(value), ensure_ascii=False))]
    if isinstance(value, str) and Path(value).is_absolute():  # a folder of this machine: the name says enough
        return [(prefix, Path(value).name)]
    return [(prefix, "" if value is None else str(value))]


def params_used(view: View) -> pd.DataFrame:
    """The params this run set (every other key has its default, listed in params/README.md), one key a row.

    Paths are shown by their last part; run.json in the run folder records them whole.
    Delivery (mail: recipients, SMTP server) does not shape the report and is no reader's business.
    """
    dumped = view.params.model_dump(mode="json", exclude={"source", "mail"}, exclude_defaults=True)
    return pd.DataFrame(flatten(dumped), columns=["param", "value"])


def run_info(view: View) -> pd.DataFrame:
    """Period, scope, when it was made, the data's as-of date and the kamreport version."""
    lang = view.lang
    data = view.run.data
    rows = [
        (t("run.period", lang), str(view.period)),
        (t("run.scope", lang), f"{t('run.' + view.level, lang)}: {view.name}"),
        (t("run.made", lang), data.computed_at),
        (t("run.as_of", lang), data.facts.as_of or ""),
        (t("run.version", lang), kamreport.__version__),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])
