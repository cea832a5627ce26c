"""Every key of the params schema with its default and meaning (the rows of params/README.md)."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from kamreport.params.loading import inner_model
from kamreport.params.run import RunParams


def documented_keys(model: type[BaseModel] = RunParams, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every key of the schema as (dotted key, default, description), for params/README.md.

    Mappings of models are written ``<name>`` (e.g. ``data.tables.<table>.path``) and lists
    of models ``[]`` (``planning.actions[].when``).
    """
    rows: list[tuple[str, str, str]] = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        key = f"{prefix}{name}"
        inner = inner_model(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("reference"):  # the same keys as another documented key: one row, not a copy
            inner = None
        origin = getattr(info.annotation, "__origin__", None)
        if inner is not None and origin is dict:
            placeholder = {"tables": "<table>", "rag": "<kpi>", "targets": "<kpi>", "connections": "<name>"}.get(
                name, "<column>"
            )
            rows.append((key, _default_text(info), info.description or ""))
            rows.extend(documented_keys(inner, f"{key}.{placeholder}."))
        elif inner is not None and origin is list:
            rows.append((key, _default_text(info), info.description or ""))
            rows.extend(documented_keys(inner, f"{key}[]."))
        elif inner is not None:
            rows.extend(documented_keys(inner, f"{key}."))
        else:
            rows.append((key, _default_text(info), info.description or ""))
    return rows


def _default_text(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return f"{len(value)} rules (see below)"
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), BaseModel):
        return ", ".join(f"{k}: {v.model_dump()}" for k, v in value.items())
    if value is None:
        return "—"
    if isinstance(value, tuple):
        value = list(value)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
