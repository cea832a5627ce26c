"""Data quality and Notes: what was read and set aside, what every figure means, what the run used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

import kamreport
from kamreport.records import summary_frame
from kamreport.registry import KPIS
from kamreport.report.labels import kpi_definition, kpi_label, run_text, t, value_label
from kamreport.report.views import View

MAX_QUALITY_ROWS = 5000


def input_tables(view: View) -> pd.DataFrame:
    """Every input table: rows read, used and set aside, and why."""
    return summary_frame(view.run.data.reports)


def quality_rows(view: View, limit: int = MAX_QUALITY_ROWS) -> pd.DataFrame:
    """Set-aside rows, conflicts and notes (at most ``limit``)."""
    quality = view.run.data.quality
    frame = quality.head(limit)
    frame = frame.assign(source_file=frame["source_file"].astype(str).map(lambda p: Path(p).name if p else p))
    frame = frame.assign(kind=[value_label(k, view.lang) for k in frame["kind"]])
    return frame.reset_index(drop=True)


def quality_note(view: View, _frame: pd.DataFrame, limit: int = MAX_QUALITY_ROWS) -> str | None:
    """A sentence when some set-aside rows are not shown."""
    total = len(view.run.data.quality)
    return t("more_rows", view.lang).format(shown=limit, total=total) if total > limit else None


def definitions(view: View) -> pd.DataFrame:
    """Every KPI id with its name and definition."""
    return pd.DataFrame(
        {
            "kpi": [k.id for k in KPIS],
            "name": [kpi_label(k.id, view.lang) for k in KPIS],
            "definition": [run_text(kpi_definition(k.id, view.lang), view.params.kpi) for k in KPIS],
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
    return [(prefix, "" if value is None else str(value))]


def params_used(view: View) -> pd.DataFrame:
    """The params of this run, one key a row."""
    # delivery (mail: recipients, SMTP server) does not shape the report and is no reader's business
    dumped = view.params.model_dump(mode="json", exclude={"source", "data", "mail"})
    # the sources as the params file gave them: each table's unset reading options would run to pages
    dumped["data"] = view.params.data.model_dump(mode="json", exclude_defaults=True)
    # the theme as the params file changed it (its unset keys would each take a row)
    dumped["report"]["theme"] = view.params.report.theme.model_dump(mode="json", exclude_none=True)
    return pd.DataFrame(flatten(dumped), columns=["param", "value"])


def run_info(view: View) -> pd.DataFrame:
    """Period, scope, when it was made, the data's as-of date, version and input files."""
    lang = view.lang
    data = view.run.data
    rows = [
        (t("run.period", lang), str(view.period)),
        (t("run.scope", lang), f"{t('run.' + view.level, lang)}: {view.name}"),
        (t("run.made", lang), data.computed_at),
        (t("run.as_of", lang), data.facts.as_of or ""),
        (t("run.version", lang), kamreport.__version__),
    ]
    rows += [
        (f"{t('run.inputs', lang)}: {f.table}", f"{Path(f.path).name} (sha256 {f.sha256[:12]})") for f in data.inputs
    ]
    return pd.DataFrame(rows, columns=["item", "value"])
