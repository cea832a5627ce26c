"""Small hand-built inputs for tests: canonical tables and params files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from kamreport.contract import TABLES
from kamreport.data.schema import complete_columns, present_columns
from kamreport.facts import Facts, build_facts
from kamreport.params import RunParams, parse_params

# The columns each hand-built table was given (by the frame's id): the others are absent, so
# KPIs over them come out missing, as for a company whose export lacks them.
_PRESENT: dict[int, list[str]] = {}


def table(name: str, **columns: Any) -> pd.DataFrame:
    """A validated-looking table: the given columns typed, every other contract column missing."""
    frame = pd.DataFrame(columns)
    spec = TABLES[name]
    for col in spec.columns:
        if col.name not in frame:
            continue
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(frame[col.name]).astype("datetime64[us]")
        elif col.kind in ("str", "enum", "period", "quarter"):
            frame[col.name] = frame[col.name].astype("string")
        elif col.kind == "float":
            frame[col.name] = frame[col.name].astype("float64")
        elif col.kind == "int":
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.kind == "bool":
            frame[col.name] = frame[col.name].astype("boolean")
    given = present_columns(frame, spec)
    frame = complete_columns(frame, spec)
    _PRESENT[id(frame)] = given
    return frame


def present(tables: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """The columns each hand-built table was given (all of them for a frame built elsewhere)."""
    return {name: _PRESENT.get(id(frame), list(frame.columns)) for name, frame in tables.items()}


def accounts(
    *ids: str, region: str | list[str] = "East", owner: str | list[str] = "Li", **columns: Any
) -> pd.DataFrame:
    """An accounts table of ``ids`` (same region and owner unless lists are given)."""
    n = len(ids)
    data: dict[str, Any] = {
        "account_id": list(ids),
        "account_name": [f"Name {i}" for i in ids],
        "region": region if isinstance(region, list) else [region] * n,
        "owner": owner if isinstance(owner, list) else [owner] * n,
        "status": ["active"] * n,
    }
    data.update(columns)
    return table("accounts", **data)


def facts(**tables: pd.DataFrame) -> Facts:
    """Facts built from the given tables (accounts and sales required)."""
    return build_facts(tables, present(tables))


def params(**values: Any) -> RunParams:
    """RunParams for period 2026Q3 with ``values`` merged in."""
    return parse_params({"period": "2026Q3", **values})


def write_params(folder: Path, tables: dict[str, Any], **values: Any) -> Path:
    """A params YAML file in ``folder`` naming ``tables`` (name → path or source mapping)."""
    spec = {name: (src if isinstance(src, dict) else {"path": str(src)}) for name, src in tables.items()}
    data = {"tables": spec, **values.pop("data", {})}  # e.g. data={"merge": ...} beside the tables
    doc = {"period": "2026Q3", "output_dir": str(folder / "out"), "data": data, **values}
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def compute_results(params_values: dict[str, Any] | None = None, **tables: pd.DataFrame):  # type: ignore[no-untyped-def]
    """Results of the compute stage over hand-built tables, for period 2026Q3."""
    from kamreport.compute import compute

    return compute(build_facts(tables, present(tables)), params(**(params_values or {})))


def account_kpis(results, account: str = "K1", period: str = "2026Q3") -> pd.Series:  # type: ignore[no-untyped-def]
    """One account's KPI values for a period."""
    return results.kpi_table("account", period).loc[account]


ACCOUNTS_CSV = "account_id,account_name,region,owner\nA1,华东精密模具,East,王芳\nA2,Café Müller,South,Li\n"


def validate_files(folder: Path, tables: dict[str, Any], **values: Any):  # type: ignore[no-untyped-def]
    """Write ``tables`` (name → CSV text, bytes, a path, or a source mapping) into ``folder`` and validate them.

    Text and bytes are written to ``<name>.csv``; accounts default to :data:`ACCOUNTS_CSV`.
    ``values`` are further top-level params (``validation``, ``period`` …).
    """
    from kamreport.data.validate import load_and_validate
    from kamreport.params import load_params

    sources: dict[str, Any] = {}
    for name, content in {"accounts": ACCOUNTS_CSV, **tables}.items():
        if isinstance(content, str | bytes):
            path = folder / f"{name}.csv"
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            sources[name] = path
        else:
            sources[name] = content
    return load_and_validate(load_params(write_params(folder, sources, **values)))


def reasons(result, table: str = "sales", kind: str = "set_aside") -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Source row → reason of a table's data-quality rows of ``kind`` (rows with a row number)."""
    q = result.quality
    rows = q[(q["table"] == table) & (q["kind"] == kind) & q["source_row"].notna()]
    return {int(r.source_row): r.reason for r in rows.itertuples()}
