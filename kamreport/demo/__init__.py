"""Synthetic demo dataset: every table of docs/data-contract.md, realistic and reproducible.

The generator models a Chinese / international supplier of mold components selling to a
few hundred (or tens of thousands of) customer sites in three regions.  A hidden "world"
of per-account facts (size, growth, sales rhythm, share of wallet, payment and delivery
behaviour ...) is drawn first; every table is then derived from it with its own random
stream, so that the tables agree with each other: demand is consistent with sales, targets
and forecasts follow revenue, receivables are the sales invoices, opportunities name the
account's competitor.

Everything is vectorised with numpy and Arrow; the only Python loops run over months,
quarters, regions, name lists or bad-row kinds, never over sales lines, visits or orders.
Ten million sales lines take about ten seconds and under 3 GB.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from kamreport.demo.arrays import _calendar
from kamreport.demo.database import DEMO_CONNECTION, DEMO_DUCKDB, demo_queries, write_duckdb
from kamreport.demo.messy import _make_messy, _write_csv
from kamreport.demo.plans import bids, forecast_hierarchy, objectives, promotions
from kamreport.demo.recipients import RECIPIENTS_FILE, demo_recipients
from kamreport.demo.tables import (
    _accounts,
    _agreements,
    _contacts,
    _demand,
    _forecasts,
    _opportunities,
    _orders,
    _products,
    _receivables,
    _sales,
    _spend,
    _targets,
    _visits,
)
from kamreport.demo.vocabulary import DEMO_TABLES
from kamreport.demo.world import _world
from kamreport.periods import Quarter

__all__ = [
    "DEMO_DUCKDB",
    "DEMO_FORMATS",
    "DEMO_TABLES",
    "RECIPIENTS_FILE",
    "demo_files",
    "generate_demo",
    "write_demo",
    "write_demo_params",
]

DEMO_FORMATS = ("parquet", "csv", "duckdb")


def demo_files(directory: Path, fmt: str = "parquet") -> list[Path]:
    """The files :func:`write_demo` writes into ``directory`` in format ``fmt`` (the recipients file too)."""
    tables = [directory / DEMO_DUCKDB] if fmt == "duckdb" else [directory / f"{t}.{fmt}" for t in DEMO_TABLES]
    return [*tables, directory / RECIPIENTS_FILE]


def generate_demo(
    n_accounts: int = 600, years: int = 3, seed: int = 7, end: str = "2026Q3", messy: bool = False
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic demo dataset: every table of docs/data-contract.md.

    Parameters
    ----------
    n_accounts : int
        Number of customer sites (rows of ``accounts``), at least 20.  Sales lines scale
        linearly: about 180 per account and year (≈ 300,000 for the defaults).
    years : int
        Calendar years of history, ending with ``end``: the history runs from January 1st
        of ``end.year − years + 1`` to the last day of ``end``.
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives identical frames.
    end : str
        The last quarter of the history, ``YYYYQn``.
    messy : bool
        When true, add ~1 % (never more than 3 %) realistic bad rows to every table —
        unparseable dates and numbers, out-of-range values, unknown enum values, unknown or
        empty account ids, exact duplicates, duplicate (order_id, line_no) — scattered among
        the unchanged clean rows.  Every column of every table is then text (pandas
        ``string``), as in a CSV export, and the result has two extra keys:
        ``"_expected_rejects"`` (``{table: bad rows the validator sets aside}``) and
        ``"_expected_notes"`` (``{table: bad rows it keeps, an optional field blanked and
        noted}``: accounts and products).

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``{table: frame}`` for every name in :data:`DEMO_TABLES`, with the canonical
        columns.  Clean dtypes: text ``string``, dates ``datetime64[us]`` at midnight,
        floats ``float64``, ints ``Int64``, bools ``boolean``; missing values are NA.

    Raises
    ------
    ValueError
        If ``n_accounts`` < 20, ``years`` < 1 or ``end`` is not a quarter.
    """
    if n_accounts < 20:
        raise ValueError(f"n_accounts must be at least 20, got {n_accounts}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    cal = _calendar(end, years)
    names = ("world", "messy", *DEMO_TABLES)
    streams = dict(zip(names, np.random.default_rng(seed).spawn(len(names)), strict=True))
    w = _world(streams["world"], n_accounts, cal)
    sales, facts = _sales(streams["sales"], w)
    rev_q = facts.quarterly()
    tables = {
        "accounts": _accounts(streams["accounts"], w),
        "sales": sales,
        "products": _products(w),
        "visits": _visits(streams["visits"], w),
        "orders": _orders(streams["orders"], w),
        "targets": _targets(streams["targets"], w, rev_q),
        "demand": _demand(streams["demand"], w, rev_q),
        "opportunities": _opportunities(streams["opportunities"], w, facts.revenue.sum(axis=1) > 0),
        "spend": _spend(streams["spend"], w, facts.revenue),
        "receivables": _receivables(streams["receivables"], w, facts),
        "forecasts": forecast_hierarchy(streams["forecasts"], w, _forecasts(streams["forecasts"], w, rev_q)),
        "contacts": _contacts(streams["contacts"], w),
        "agreements": _agreements(streams["agreements"], w, facts),
    }
    tables["objectives"] = objectives(streams["objectives"], w)
    tables["promotions"] = promotions(streams["promotions"], w, tables["spend"], facts.quantity)
    tables["bids"] = bids(streams["bids"], tables["opportunities"], cal.last)
    if not messy:
        return tables
    result: dict[str, Any] = tables
    result["_expected_rejects"], result["_expected_notes"] = _make_messy(streams["messy"], tables)
    return cast(dict[str, pd.DataFrame], result)


def write_demo(
    directory: str | Path,
    n_accounts: int = 600,
    years: int = 3,
    seed: int = 7,
    end: str = "2026Q3",
    messy: bool = False,
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate the demo dataset and write one file per table, and the recipients file.

    Parameters
    ----------
    directory : str or pathlib.Path
        Target directory; created (with parents) when missing.
    n_accounts, years, seed, end, messy
        As for :func:`generate_demo`.
    fmt : {"parquet", "csv", "duckdb"}
        ``parquet`` writes ``<table>.parquet`` with the frame's dtypes; ``csv`` writes
        ``<table>.csv`` (UTF-8, comma, header) with ISO dates, plain numbers and
        ``true``/``false``, missing values as empty cells; ``duckdb`` writes every table
        into one database file, ``kam.duckdb`` (dates as ``DATE``).

    Returns
    -------
    dict[str, pathlib.Path]
        ``{table: path written}`` for every table of :data:`DEMO_TABLES`.  Beside them,
        :data:`RECIPIENTS_FILE` (CSV) lists who gets which pack by e-mail (``mail.recipients``).

    Raises
    ------
    ValueError
        If ``fmt`` is not one of ``"parquet"``, ``"csv"`` and ``"duckdb"``.
    """
    if fmt not in DEMO_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(DEMO_FORMATS)}, got {fmt!r}")
    tables = generate_demo(n_accounts=n_accounts, years=years, seed=seed, end=end, messy=messy)
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    if fmt == "duckdb":
        database = write_duckdb({t: tables[t] for t in DEMO_TABLES}, out_dir / DEMO_DUCKDB)
        paths = dict.fromkeys(DEMO_TABLES, database)
    else:
        for table in DEMO_TABLES:
            path = out_dir / f"{table}.{fmt}"
            if fmt == "parquet":
                tables[table].to_parquet(path, index=False)
            else:
                _write_csv(tables[table], path)
            paths[table] = path
    _write_csv(demo_recipients(tables["accounts"]), out_dir / RECIPIENTS_FILE)
    return paths


# Targets beyond revenue in the demo params (kpi.targets): company values and one region's own.
DEMO_KPI_TARGETS: dict[str, dict[str, Any]] = {
    "share_of_wallet": {"company": 0.40, "regions": {"North": 0.35}},
    "frequency_attainment": {"company": 0.90},
    "gross_margin": {"company": 0.30},
    "fill_rate": {"company": 0.95},
}
# The demo's top-down target for next quarter: this much above the period's revenue.
DEMO_COMPANY_TARGET_GROWTH = 0.12


def _company_target(data_dir: Path, fmt: str, period: str) -> float | None:
    """The demo's company target for the quarter after ``period``, rounded to ten thousand (none without sales)."""
    import duckdb
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    columns = ["date", "revenue"]
    sales_file = data_dir / (DEMO_DUCKDB if fmt == "duckdb" else f"sales.{fmt}")
    if not sales_file.is_file():
        return None
    if fmt == "duckdb":
        with duckdb.connect(str(sales_file), read_only=True) as con:
            frame = con.sql('SELECT "date", revenue FROM sales').df()
    elif fmt == "parquet":
        frame = pq.read_table(sales_file, columns=columns).to_pandas()
    else:
        options = pcsv.ConvertOptions(include_columns=columns, column_types={c: "string" for c in columns})
        frame = pcsv.read_csv(sales_file, convert_options=options).to_pandas()
    quarter = Quarter.parse(period)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    inside = (dates >= pd.Timestamp(quarter.start)) & (dates <= pd.Timestamp(quarter.end))
    revenue = pd.to_numeric(frame["revenue"], errors="coerce")[inside].sum()
    return float(round(revenue * (1 + DEMO_COMPANY_TARGET_GROWTH), -4))


def write_demo_params(
    path: str | Path,
    data_dir: str | Path,
    output_dir: str | Path,
    fmt: str = "parquet",
    tables: Sequence[str] = DEMO_TABLES,
    **values: Any,
) -> Path:
    """A params file naming the demo tables in ``data_dir`` (as written by :func:`write_demo`).

    ``values`` are further top-level keys (``render``, ``validation`` …) merged in.  Paths are
    written absolute, so the file works wherever it is moved.  With ``fmt="duckdb"`` every
    table is a query on the connection ``demo`` to ``kam.duckdb``.  The demo sets targets
    beyond revenue (:data:`DEMO_KPI_TARGETS`) and a top-down company target for the next
    quarter — :data:`DEMO_COMPANY_TARGET_GROWTH` over the period's revenue, read from the
    written sales — so that the reconciliation of account targets shows.
    """
    import yaml

    period = str(values.get("period", "2026Q3"))
    data: dict[str, Any] = {"base_dir": str(Path(data_dir).resolve())}
    if fmt == "duckdb":
        data["connections"] = {DEMO_CONNECTION: {"url": f"duckdb:///{DEMO_DUCKDB}"}}
        data["tables"] = demo_queries(tables)
    else:
        data["tables"] = {t: {"path": f"{t}.{fmt}"} for t in tables}
    doc: dict[str, Any] = {
        "period": period,
        "output_dir": str(Path(output_dir).resolve()),
        "data": data,
        "kpi": {"targets": DEMO_KPI_TARGETS},
        "planning": {"targets": {"company_target_nq": _company_target(Path(data_dir), fmt, period)}},
        "report": {"company_name": "Demo Precision Components", "currency": "¥"},
        "mail": {"recipients": {"path": RECIPIENTS_FILE}, "sender": "Demo sales reporting <kam@example.com>"},
        **values,
    }
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
