"""Load and validate every table: clean tables plus set-aside rows with reasons, nothing lost.

docs/data-contract.md "What bad input gets" in code.  Fatal problems raise
:class:`~kamreport.errors.InputError`; a bad row is set aside — whole and unchanged, with its
source file, row number and reason — into :attr:`Validated.quality`, and every table
reconciles: rows read = rows used + rows set aside.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import TABLE_ORDER, TABLES, Table
from kamreport.data.derived import DERIVABLE, derive_table
from kamreport.data.duplicates import first_occurrence
from kamreport.data.parse import as_arrow
from kamreport.data.quality import bad_line_rows, concat_quality, notes, set_aside_rows
from kamreport.data.schema import complete_columns, present_columns, schema
from kamreport.data.sources import (
    SOURCE_ROW,
    RawTable,
    read_raw,
    read_sheet,
    resolve_paths,
    to_canonical,
)
from kamreport.errors import InputError, RejectLimitError
from kamreport.params import RunParams, SetAsideRule, TableSource
from kamreport.records import TableReport, summary_frame

Progress = Callable[[str], None]


@dataclass
class Validated:
    """The clean tables, what was set aside and why, and a report per table."""

    tables: dict[str, pd.DataFrame]
    reports: dict[str, TableReport]
    quality: pd.DataFrame
    files: dict[str, list[Path]]
    present: dict[str, list[str]]  # per table, the contract columns the source really has

    def summary(self) -> pd.DataFrame:
        """One row per table: rows read / used / set aside and the main reasons."""
        return summary_frame(list(self.reports.values()))


@dataclass
class _Rejects:
    """Reasons collected for rows of one table (row index → category, reason)."""

    parts: list[pd.DataFrame] = field(default_factory=list)

    def add(self, index: pd.Index | np.ndarray, category: str, reason: pd.Series | np.ndarray | str) -> None:
        if len(index) == 0:
            return
        reasons = [reason] * len(index) if isinstance(reason, str) else np.asarray(reason, dtype=object)
        self.parts.append(pd.DataFrame({"category": category, "reason": reasons}, index=pd.Index(index)))

    def combined(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"category": [], "reason": []}, index=pd.Index([], dtype=np.int64))
        frame = pd.concat(self.parts)
        return frame.groupby(level=0, sort=True).agg({"category": "first", "reason": "; ".join})

    def only(self, categories: set[str]) -> int:
        """Rows set aside for reasons in ``categories`` and nothing else."""
        if not self.parts or not categories:
            return 0
        frame = pd.concat(self.parts)
        return int(frame["category"].isin(categories).groupby(level=0).all().sum())

    def counts(self) -> dict[str, int]:
        if not self.parts:
            return {}
        first = self.combined()["category"]
        return {str(k): int(v) for k, v in first.value_counts().items()}


def load_and_validate(params: RunParams, progress: Progress | None = None) -> Validated:
    """Read, map, parse and check every table the params name.

    Raises
    ------
    InputError
        A fatal problem (docs/data-contract.md): missing required table, file or column, an
        unreadable file, duplicate account or opportunity ids, or a table losing more rows
        than ``validation.max_reject_share`` without ``allow_rejects``.
    """
    say = progress or (lambda _msg: None)
    specs = params.data.tables
    for name, table in TABLES.items():
        if table.required and name not in specs:
            raise InputError(
                f"table {name} is required but the params file names no source for it: add data.tables.{name} "
                f"with its path (see params/README.md)."
            )
    for name, spec in specs.items():
        if spec.from_table and name not in DERIVABLE:
            raise InputError(
                f"table {name}: from_table derives only {' and '.join(DERIVABLE)} from the sales lines; "
                f"give data.tables.{name}.path instead"
            )
        if not spec.paths and not spec.from_table and not spec.is_sql:
            raise InputError(f"table {name}: no path given. Set data.tables.{name}.path in the params file.")

    tables: dict[str, pd.DataFrame] = {}
    reports: dict[str, TableReport] = {}
    quality: list[pd.DataFrame] = []
    files: dict[str, list[Path]] = {}
    present: dict[str, list[str]] = {}
    raws: dict[str, RawTable] = {}

    for name in DERIVABLE:
        master = specs.get(name)
        if master is None or not master.from_table:
            continue
        if "sales" not in raws:
            raws["sales"] = read_raw("sales", specs["sales"], params.base_dir, params)
        started = time.perf_counter()
        derived = derive_table(name, raws["sales"], specs["sales"], master, params)
        tables[name] = derived.frame
        present[name] = derived.present
        files[name] = raws["sales"].files
        quality.append(derived.quality)
        reports[name] = TableReport(
            name, [str(f) for f in raws["sales"].files], len(derived.frame), 0, {}, time.perf_counter() - started
        )
        say(f"{name}: {len(derived.frame):,} derived from sales ({len(derived.quality)} conflicts)")

    for name in TABLE_ORDER:
        if name not in specs or name in tables:
            continue
        started = time.perf_counter()
        raw = raws.pop(name, None) or read_raw(name, specs[name], params.base_dir, params)
        known = tables["accounts"]["account_id"] if "accounts" in tables else None
        clean, rejects, present[name] = _validate_table(raw, specs[name], TABLES[name], params, known)
        tables[name] = clean
        files[name] = raw.files
        quality.append(set_aside_rows(raw, rejects.combined()))
        bad_lines = bad_line_rows(raw)
        quality.append(bad_lines)
        reasons = Counter(rejects.counts())
        reasons.update({"line does not split into the header's fields": len(bad_lines)} if len(bad_lines) else {})
        reports[name] = TableReport(
            name,
            [str(f) for f in raw.files],
            raw.rows_read,
            len(rejects.combined()) + len(bad_lines),
            dict(reasons),
            rows_by_rule=rejects.only({rule.reason for rule in specs[name].set_aside}),
        )
        quality.append(notes(name, clean, tables, raw))
        reports[name].seconds = time.perf_counter() - started
        r = reports[name]
        say(f"{name}: {r.rows_read:,} read, {r.rows_used:,} used, {r.rows_set_aside:,} set aside")

    result = Validated(tables, reports, concat_quality(quality), files, present)
    enforce_reject_limit(result.reports.values(), result.quality, params)
    return result


def _validate_table(
    raw: RawTable, spec: TableSource, table: Table, params: RunParams, known_accounts: pd.Series | None
) -> tuple[pd.DataFrame, _Rejects, list[str]]:
    canonical = to_canonical(raw, spec, table, params.data.date_format, params.base_dir)
    frame = canonical.frame
    rejects = _Rejects()
    if len(canonical.failures):
        category = canonical.failures["reason"].str.split(":").str[0] + ": unreadable value"
        for cat, group in canonical.failures.groupby(category):
            rejects.add(group.index, str(cat), group["reason"])
    unreadable = {
        (int(i), r.split(":")[0]) for i, r in zip(canonical.failures.index, canonical.failures["reason"], strict=True)
    }
    _check_schema(frame, table, rejects, unreadable)
    for rule in spec.set_aside:
        _set_aside_listed(raw, rule, table, params.base_dir, rejects)
    _check_duplicates(frame, raw, table, rejects)
    if table.needs_accounts and known_accounts is not None and "account_id" in frame:
        unknown = frame["account_id"].notna() & ~in_set(frame["account_id"], known_accounts)
        rows = frame.index[unknown.to_numpy()]
        rejects.add(
            rows, "unknown account_id", "unknown account_id '" + frame.loc[rows, "account_id"].astype(str) + "'"
        )
    bad = rejects.combined().index
    clean = frame.drop(index=bad) if len(bad) else frame
    present = present_columns(clean, table)
    return compact(complete_columns(clean.reset_index(drop=True), table), table), rejects, present


_COMPACT_ROWS = 50_000


def compact(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Repetitive text columns of a large table as categories (dictionary-encoded).

    Account ids, product codes and divisions repeat over millions of lines; held as small
    integer codes they take a fraction of the memory while later tables are read, and DuckDB
    scans them as Arrow dictionaries.
    """
    if len(frame) < _COMPACT_ROWS:
        return frame
    for col in table.columns:
        if col.kind not in ("str", "enum"):
            continue
        sample = frame[col.name].iloc[:: max(1, len(frame) // 20_000)].dropna()
        if len(sample) and sample.nunique() <= len(sample) // 4:  # ids unique per line are left as they are
            encoded = as_arrow(frame[col.name]).dictionary_encode()
            frame[col.name] = pd.Series(encoded.to_pandas(), index=frame.index)
    return frame


def in_set(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """Whether each value is one of ``allowed``, with pyarrow's hash lookup.

    pandas' ``isin`` on Arrow strings first turns every allowed value into a Python object:
    seconds, for a large customer master checked against millions of lines.
    """
    result = pc.is_in(pa.array(values.astype("string")), value_set=pa.array(allowed.astype("string").dropna().unique()))
    return np.asarray(result.fill_null(False), dtype=bool)


def _check_schema(frame: pd.DataFrame, table: Table, rejects: _Rejects, unreadable: set[tuple[int, str]]) -> None:
    import pandera.pandas as pa

    try:
        schema(table.name).validate(frame, lazy=True, inplace=True)  # inplace: no copy of millions of rows
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        for (column, check), group in cases.groupby(["column", "check"], sort=False):
            rows = group["index"].astype(np.int64).to_numpy()
            if check == "not_nullable":
                rows = np.array([r for r in rows if (int(r), column) not in unreadable], dtype=np.int64)
                rejects.add(rows, f"{column}: empty", f"{column}: empty (required)")
            else:
                values = group["failure_case"].astype(str).to_numpy()
                rejects.add(rows, str(check), pd.Series([f"{check}: '{v}'" for v in values]))


def _set_aside_listed(raw: RawTable, rule: SetAsideRule, table: Table, base_dir: Path, rejects: _Rejects) -> None:
    """Rows whose ``rule.match`` value appears in another sheet's ``rule.column``."""
    if rule.match not in raw.frame.columns:
        raise InputError(f"table {table.name}: set_aside matches column '{rule.match}', which is not in {raw.files[0]}")
    path = raw.files[0] if rule.path is None else resolve_paths(table.name, TableSource(path=rule.path), base_dir)[0]
    listed = read_sheet(table.name, path, rule.sheet) if rule.sheet is not None else pd.read_csv(path, dtype=str)
    if rule.column not in listed.columns:
        raise InputError(f"table {table.name}: set_aside list {path} has no column '{rule.column}'")
    values = set(listed[rule.column].dropna().astype(str).str.strip())
    hit = raw.frame[rule.match].astype("string").str.strip().isin(values).fillna(False).to_numpy(bool)
    rejects.add(raw.frame.index[hit], rule.reason, rule.reason)


def _check_duplicates(frame: pd.DataFrame, raw: RawTable, table: Table, rejects: _Rejects) -> None:
    """Exact duplicate lines, then duplicate keys (fatal for accounts and opportunities)."""
    if len(frame) == 0:
        return
    row_number = raw.frame[SOURCE_ROW]
    exact = first_occurrence(frame, list(frame.columns))
    if len(exact):
        reason = "exact duplicate of row " + row_number[exact].astype(str).to_numpy()
        rejects.add(exact.index, "exact duplicate line", reason)
    if not table.key or not set(table.key) <= set(frame.columns):
        return
    keyed = frame[list(table.key)]
    usable = keyed[keyed.notna().all(axis=1).to_numpy() & ~frame.index.isin(exact.index)]
    repeated = first_occurrence(usable, list(table.key))
    if repeated.empty:
        return
    key = ", ".join(table.key)
    if table.key_fatal:
        shown = keyed.loc[repeated.index].astype(str).agg(", ".join, axis=1)
        numbers = row_number[repeated.index].astype(str)
        examples = "; ".join(f"'{v}' (row {r})" for v, r in list(zip(shown, numbers, strict=True))[:5])
        raise InputError(
            f"table {table.name} ({', '.join(str(f) for f in raw.files)}): duplicate {key}: {examples}"
            f"{' …' if len(repeated) > 5 else ''} — {len(repeated)} in all. Each {key} must appear once; "
            "fix the export (or its column mapping) and run again."
        )
    reason = f"duplicate {key} of row " + row_number[repeated].astype(str).to_numpy()
    rejects.add(repeated.index, f"duplicate {key}", reason)


def enforce_reject_limit(reports: Iterable[TableReport], quality: pd.DataFrame, params: RunParams) -> None:
    """Stop the run when a table lost more than ``validation.max_reject_share`` of its rows as bad input.

    Applied to every run, on fresh and on stored results alike; ``validation.allow_rejects``
    (``--allow-rejects``) lets it go on.

    Raises
    ------
    RejectLimitError
        Carries ``quality`` and ``reports`` so that data_quality.csv can still be written.
    """
    reports = list(reports)
    limit = params.validation.max_reject_share
    over = [r for r in reports if r.reject_share > limit]
    if over and not params.validation.allow_rejects:
        lines = "; ".join(
            f"{r.table} lost {r.rows_set_aside:,} of {r.rows_read:,} rows ({r.reject_share:.1%}), mostly "
            + ", ".join(k for k, _ in Counter(r.reasons).most_common(2))
            for r in over
        )
        raise RejectLimitError(
            f"too many rows set aside: {lines} — more than the {limit:.0%} allowed (validation.max_reject_share). "
            "The rows and reasons are in data_quality.csv. Fix the export or its mapping, or run again with "
            "--allow-rejects to go on without them.",
            quality,
            reports,
        )
