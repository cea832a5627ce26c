"""The data-quality report: every row set aside, conflict and note, in the shape of data_quality.csv.

Validation (:mod:`kamreport.data.validate`) decides *which* rows go and why; this module writes
them down — whole and as read, with their source file and row number — so that nothing is lost.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.data.raw import SOURCE_FILE, SOURCE_ROW, RawTable
from kamreport.data.schema import TEXT
from kamreport.data.sql import row_origins
from kamreport.records import QUALITY_COLUMNS


def set_aside_rows(raw: RawTable, combined: pd.DataFrame) -> pd.DataFrame:
    """Each row set aside, whole and as read, with its file, row number and reason (index: row in ``raw``)."""
    return _source_rows(raw, combined, "set_aside")


def kept_with_notes(raw: RawTable, noted: pd.DataFrame) -> pd.DataFrame:
    """Rows kept with a field left blank (``kind = note``), whole and as read, one per field noted."""
    return _source_rows(raw, noted, "note")


def _source_rows(raw: RawTable, reasons: pd.DataFrame, kind: str) -> pd.DataFrame:
    if reasons.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    rows = raw.rows_frame(reasons.index.to_numpy())
    records = rows[raw.source_columns].to_dict(orient="records")
    return pd.DataFrame(
        {
            "table": raw.name,
            "kind": kind,
            "source_file": row_origins(raw, rows),  # a query's rows: the connection and the row's key
            "source_row": rows[SOURCE_ROW].to_numpy(),
            "reason": reasons["reason"].to_numpy(),
            "row": [json.dumps({k: _plain(v) for k, v in r.items()}, ensure_ascii=False) for r in records],
        },
        columns=QUALITY_COLUMNS,
    )


def bad_line_rows(raw: RawTable) -> pd.DataFrame:
    """CSV lines that did not split into the header's fields, as set-aside rows."""
    bad = raw.bad_lines
    return pd.DataFrame(
        {
            "table": raw.name,
            "kind": "set_aside",
            "source_file": bad[SOURCE_FILE].astype(str).to_numpy(),
            "source_row": bad[SOURCE_ROW].to_numpy(),
            "reason": bad["reason"].to_numpy(),
            "row": [json.dumps({"line": t}, ensure_ascii=False) for t in bad["text"]],
        },
        columns=QUALITY_COLUMNS,
    )


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def notes(name: str, clean: pa.Table, known_products: pa.Array | None, raw: RawTable) -> pd.DataFrame:
    """Rows kept but worth knowing about (not set aside)."""
    notes: list[str] = []
    if name == "sales" and "cost" in clean.column_names:
        missing = clean.column("cost").null_count
        if missing:
            notes.append(f"{missing:,} sales rows have no cost: left out of cost, gross profit and margin")
    if name == "sales" and known_products is not None and "product_code" in clean.column_names:
        codes = pc.cast(clean.column("product_code"), TEXT)
        unknown = pc.sum(pc.and_(pc.is_valid(codes), pc.invert(pc.is_in(codes, value_set=known_products)))).as_py()
        if unknown:
            notes.append(f"{int(unknown):,} sales rows have a product_code missing from products: not high-margin")
    files = ", ".join(str(f) for f in raw.files)
    return pd.DataFrame(
        {"table": name, "kind": "note", "source_file": files, "source_row": pd.NA, "reason": notes, "row": ""},
        columns=QUALITY_COLUMNS,
    )


def concat_quality(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The data-quality rows of every table in one frame of :data:`QUALITY_COLUMNS`."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    frame["source_row"] = frame["source_row"].astype("Int64")
    return frame[QUALITY_COLUMNS]
