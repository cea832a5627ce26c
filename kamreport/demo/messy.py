"""Realistic bad rows of every kind the validator handles (``--messy``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from kamreport.demo.arrays import _ids


@dataclass(frozen=True)
class _Bad:
    """One kind of bad row: a clean row copied with ``column`` set to one of ``values``.

    ``column=None`` is an exact duplicate; ``same_key`` keeps the copied row's key (for the
    duplicate (order_id, line_no) case); ``once`` allows at most one such row per table;
    ``kept`` marks a bad optional field of a master table, which the validator blanks and
    notes instead of setting the row aside.
    """

    column: str | None
    values: tuple[str, ...] = ()
    once: bool = False
    same_key: bool = False
    kept: bool = False


_DUPLICATE = _Bad(None)
_UNKNOWN_ACCOUNT = _Bad("account_id", ("ZZ999",))
_EMPTY_ACCOUNT = _Bad("account_id", ("",), once=True)
_BAD_DATES = ("31/02/2026", "n/a")
_BAD_NUMBERS = ("12,3.4", "abc")
_BAD_ROWS: dict[str, tuple[_Bad, ...]] = {
    "accounts": (
        _Bad("potential_monthly", ("-25000",), kept=True),
        _Bad("status", ("pending",), kept=True),
        _EMPTY_ACCOUNT,
        _Bad("credit_limit", _BAD_NUMBERS, kept=True),
        _Bad("decision_style", ("democratic",), kept=True),
        _Bad("payment_terms_days", ("abc", "-30"), kept=True),
    ),
    "sales": (_Bad("date", _BAD_DATES), _Bad("revenue", _BAD_NUMBERS), _UNKNOWN_ACCOUNT, _EMPTY_ACCOUNT, _DUPLICATE),
    "products": (_Bad("product_code", ("",), once=True), _Bad("high_margin", ("maybe",), kept=True)),
    "visits": (
        _Bad("date", _BAD_DATES),
        _Bad("status", ("pending",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _Bad("promotions", ("-1",)),
        _DUPLICATE,
    ),
    "orders": (
        _Bad("order_date", _BAD_DATES),
        _Bad("qty_ordered", ("-5", "abc")),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
        _Bad("qty_delivered", (), same_key=True),
    ),
    "targets": (
        _Bad("revenue_target", ("-1000", "abc")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "demand": (
        _Bad("total_demand", ("abc", "-500")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "opportunities": (
        _Bad("stage", ("9",)),
        _Bad("status", ("pending",)),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
    ),
    "spend": (
        _Bad("spend_type", ("bribe",)),
        _Bad("date", _BAD_DATES),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "receivables": (
        _Bad("invoice_date", _BAD_DATES),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "forecasts": (
        _Bad("forecast_revenue", ("-100", "abc")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _Bad("level", ("team",)),  # an empty account_id is allowed on the owners', regions' and company's rows
        _DUPLICATE,
    ),
    "contacts": (_Bad("strength", ("7",)), _Bad("role", ("intern",)), _UNKNOWN_ACCOUNT, _EMPTY_ACCOUNT, _DUPLICATE),
    "agreements": (
        _Bad("year", ("abc",)),
        _Bad("revenue_target", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "objectives": (_Bad("due", _BAD_DATES), _Bad("status", ("pending",)), _UNKNOWN_ACCOUNT, _EMPTY_ACCOUNT, _DUPLICATE),
    "promotions": (
        _Bad("start", _BAD_DATES),
        _Bad("planned_spend", ("-100", "abc")),
        _Bad("status", ("maybe",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
    ),
    "bids": (
        _Bad("submitted", _BAD_DATES),
        _Bad("result", ("pending",)),
        _Bad("opportunity_id", ("O999999",)),
        _Bad("first_quote", _BAD_NUMBERS),
        _DUPLICATE,
    ),
}
# key column of a table and the prefix of fresh keys for bad copies (never a duplicate key)
_FRESH_KEYS = {
    "accounts": ("account_id", "A"),
    "opportunities": ("opportunity_id", "O"),
    "orders": ("order_id", "SO"),
    "receivables": ("invoice_id", "INV"),
    "products": ("product_code", "ZZ-"),
    "promotions": ("promo_id", "PR"),
}


def _column_text(col: pd.Series) -> pa.Array:
    """One column as text the way a CSV export writes it: ISO dates, plain numbers, true/false."""
    if isinstance(col.dtype, pd.StringDtype):
        return pa.array(col.array, type=pa.large_string())
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return pc.cast(pa.array(col.to_numpy(), from_pandas=True).cast(pa.date32()), pa.large_string())
    # floats: shortest round-trip decimals ("1234.5", "-3"); ints; booleans as true/false
    return pc.cast(pa.array(col.array, from_pandas=True), pa.large_string())


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as pandas ``string``, as in a CSV export (see :func:`_column_text`)."""
    return pd.DataFrame({name: pd.arrays.ArrowStringArray(_column_text(col)) for name, col in frame.items()})


def _plan_bad_rows(kinds: tuple[_Bad, ...], n: int) -> list[_Bad]:
    """About 1 % of ``n``: every kind in turn while 3 % allows, never more than 3 %."""
    cap = int(0.03 * n)
    want = min(cap, max(round(0.01 * n), min(len(kinds), cap)))
    plan: list[_Bad] = []
    while len(plan) < want:
        fits = [k for k in kinds if not (k.once and k in plan)][: want - len(plan)]
        if not fits:
            break
        plan += fits
    return plan


def _next_keys(column: pd.Series, prefix: str, count: int) -> pd.api.extensions.ExtensionArray:
    """``count`` keys after the largest ``prefix``+digits key of ``column`` (never a duplicate)."""
    top = pc.max(pa.array(column.dropna().array)).as_py() or ""
    digits = top[len(prefix) :] if top.startswith(prefix) and top[len(prefix) :].isdigit() else ""
    start = int(digits) + 1 if digits else 1
    return _ids(prefix, np.arange(start, start + count), max(len(digits), 3))


def _bad_rows(rng: np.random.Generator, table: str, clean: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Text copies of random clean rows, each spoilt in one way (see ``_BAD_ROWS``), and how many are kept."""
    plan = _plan_bad_rows(_BAD_ROWS[table], len(clean))
    bad = _as_text(clean.take(rng.choice(len(clean), len(plan), replace=False))).reset_index(drop=True)
    key_col, prefix = _FRESH_KEYS.get(table, (None, ""))
    kind_of = np.array([_BAD_ROWS[table].index(k) for k in plan], dtype=np.int64)
    fresh = np.zeros(len(plan), dtype=bool)
    for k, kind in enumerate(_BAD_ROWS[table]):
        rows = np.flatnonzero(kind_of == k)
        if kind.column is None or not len(rows):
            continue
        if kind.same_key:  # same (order_id, line_no), different value
            changed = pd.to_numeric(bad.loc[rows, kind.column]).to_numpy() + 1
            bad.loc[rows, kind.column] = pc.cast(pa.array(changed), pa.large_string()).to_pylist()
            continue
        bad.loc[rows, kind.column] = [kind.values[j % len(kind.values)] for j in range(len(rows))]
        fresh[rows] = key_col is not None and kind.column != key_col
    if key_col is not None and fresh.any():
        bad.loc[fresh, key_col] = _next_keys(clean[key_col], prefix, int(fresh.sum()))
    if table == "accounts":  # account names stay distinct
        suffix = pd.array([f" (site {i + 1})" for i in range(len(bad))], dtype="string")
        bad["account_name"] = bad["account_name"] + suffix
    return bad, sum(kind.kept for kind in plan)


def _make_messy(rng: np.random.Generator, tables: dict[str, pd.DataFrame]) -> tuple[dict[str, int], dict[str, int]]:
    """Turn every table of ``tables`` into text with bad rows scattered among the clean ones.

    Works in place, one column at a time (so that the clean and the text copy of only one
    column exist at once); returns ``{table: bad rows set aside}`` and ``{table: bad rows
    kept with a note}`` (a bad optional field of an account or product).
    """
    expected, kept = {}, {}
    for table in list(tables):
        clean = tables.pop(table)
        bad, kept[table] = _bad_rows(rng, table, clean)
        n = len(clean)
        # clean rows keep their order; bad rows land at random places among them
        order = pa.array(
            np.argsort(np.concatenate([np.arange(n, dtype=float), rng.uniform(0, n, len(bad))]), kind="stable")
        )
        columns = {}
        for name in list(clean.columns):  # column by column: one text column in memory at a time
            text = pa.chunked_array([_column_text(clean.pop(name)), _column_text(bad[name])])
            columns[name] = pd.arrays.ArrowStringArray(text.take(order).combine_chunks())
        tables[table] = pd.DataFrame(columns)
        expected[table] = len(bad) - kept[table]
    return expected, kept


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, comma, header; quotes only when some value holds a comma, quote or line break."""
    table = pa.table({name: _column_text(col) for name, col in frame.items()})
    special = any(pc.any(pc.match_substring_regex(table[name], '[,"\r\n]')).as_py() for name in table.column_names)
    with open(path, "wb") as out:
        out.write((",".join(table.column_names) + "\n").encode("utf-8"))  # canonical names: no quotes
        pa_csv.write_csv(
            table, out, pa_csv.WriteOptions(include_header=False, quoting_style="needed" if special else "none")
        )
