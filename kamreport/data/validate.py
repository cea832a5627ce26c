"""Load and validate every table: clean tables plus set-aside rows with reasons, nothing lost.

docs/data-contract.md "What bad input gets" in code.  Fatal problems raise
:class:`~kamreport.errors.InputError`; a bad row is set aside — whole and unchanged, with its
source file, row number and reason — into :attr:`Validated.quality`, and every table
reconciles: rows read = rows used + rows set aside.  In a master table (accounts, products)
a bad *optional* field is blanked and noted instead: the row, and every line that names it,
stays.
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
from kamreport.data.canonical import Canonical, check_expression, to_canonical
from kamreport.data.checks import Rejects, check_dates, check_values, is_in_text, mask
from kamreport.data.customers import MERGED_COLUMNS, Merge, possible_duplicates, read_merge
from kamreport.data.derived import DERIVABLE, SPREAD_COLUMNS, derive_table
from kamreport.data.duplicates import first_occurrence
from kamreport.data.quality import bad_line_rows, concat_quality, kept_with_notes, notes, set_aside_rows
from kamreport.data.raw import SOURCE_FILE, SOURCE_ROW, RawTable
from kamreport.data.schema import TEXT, Tables, complete_arrow, present_columns, release_arrow_memory
from kamreport.data.sources import read_raw, read_side_table, resolve_paths
from kamreport.errors import InputError, RejectLimitError
from kamreport.params import RunParams, SetAsideRule, TableSource
from kamreport.records import QUALITY_COLUMNS, TableReport, summary_frame

Progress = Callable[[str], None]
MERGED_REASON = "merged into another account (data.merge)"


@dataclass
class Validated:
    """The clean tables, what was set aside and why, and a report per table.

    ``merged`` lists the accounts merged away by ``data.merge`` (:data:`MERGED_COLUMNS`);
    ``region_spread`` the revenue that accounts derived from sales lines bought outside the
    region they were put in (:data:`~kamreport.data.derived.SPREAD_COLUMNS`).
    """

    tables: Tables  # pandas on access; Arrow for DuckDB (Tables.arrow)
    reports: dict[str, TableReport]
    quality: pd.DataFrame
    files: dict[str, list[Path]]
    present: dict[str, list[str]]  # per table, the contract columns the source really has
    merged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MERGED_COLUMNS))
    region_spread: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SPREAD_COLUMNS))

    def summary(self) -> pd.DataFrame:
        """One row per table: rows read / used / set aside and the main reasons."""
        return summary_frame(list(self.reports.values()))


def _combine(problems: pd.DataFrame) -> pd.DataFrame:
    """One row per row set aside: its first category and every reason."""
    if problems.empty:
        return pd.DataFrame({"category": [], "reason": []}, index=pd.Index([], dtype=np.int64))
    return problems.groupby(level=0, sort=True).agg({"category": "first", "reason": "; ".join})


@dataclass
class _Outcome:
    """What validating one table gave."""

    clean: pa.Table
    set_aside: pd.DataFrame  # index: position in the raw table; category, reason
    noted: pd.DataFrame  # index: position in the raw table; reason (kept, a field blanked)
    present: list[str]
    by_rule: int
    kept: np.ndarray  # position in the raw table of each clean row, in order
    merge: Merge  # for accounts: the merge table read against them
    dropped: pd.Series  # for accounts: account_id → why its row was set aside (merges aside)


def load_and_validate(params: RunParams, progress: Progress | None = None) -> Validated:
    """Read, map, parse and check every table the params name.

    Raises
    ------
    InputError
        A fatal problem (docs/data-contract.md): missing required table, file or column, an
        unreadable file, an expression that cannot be evaluated, duplicate account or
        opportunity ids, a bad merge table, no sales line in the run's period, or a table
        losing more rows than ``validation.max_reject_share`` without ``allow_rejects``.
    """
    say = progress or (lambda _msg: None)
    specs = params.data.tables
    _check_specs(params)

    tables = Tables()
    reports: dict[str, TableReport] = {}
    quality: list[pd.DataFrame] = []
    files: dict[str, list[Path]] = {}
    present: dict[str, list[str]] = {}
    raws: dict[str, RawTable] = {}
    spread = pd.DataFrame(columns=SPREAD_COLUMNS)

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
        if name == "accounts":
            spread = derived.spread
        reports[name] = TableReport(
            name, [str(f) for f in raws["sales"].files], len(derived.frame), 0, {}, time.perf_counter() - started
        )
        say(f"{name}: {len(derived.frame):,} derived from sales ({len(derived.quality)} conflicts)")

    merge = Merge.none()
    dropped_accounts = pd.Series(dtype="string")  # account_id → why its row was set aside
    for name in TABLE_ORDER:
        if name == "accounts" and name in tables:  # derived from the sales lines
            merge = read_merge(params, tables["accounts"])
            tables["accounts"], merged_rows = _merge_derived(tables["accounts"], merge, reports["accounts"])
            quality.append(merged_rows)
            quality.append(possible_duplicates(tables["accounts"], pd.Series(dtype="string"), pd.Series(dtype="Int64")))
            spread = merge.apply(spread)
        if name not in specs or name in tables:
            continue
        started = time.perf_counter()
        raw = raws.pop(name, None) or read_raw(name, specs[name], params.base_dir, params)
        known = tables.arrow("accounts").column("account_id") if "accounts" in tables else None
        outcome = _validate_table(raw, specs[name], TABLES[name], params, known, dropped_accounts, merge, tables)
        tables[name] = outcome.clean
        if name == "accounts":
            merge, dropped_accounts = outcome.merge, outcome.dropped
            where = raw.rows_frame(outcome.kept, columns=[]).reset_index(drop=True)
            quality.append(possible_duplicates(tables["accounts"], where[SOURCE_FILE], where[SOURCE_ROW]))
        present[name] = outcome.present
        files[name] = raw.files
        quality.append(set_aside_rows(raw, outcome.set_aside))
        quality.append(kept_with_notes(raw, outcome.noted))
        bad_lines = bad_line_rows(raw)
        quality.append(bad_lines)
        reasons = Counter({str(k): int(v) for k, v in outcome.set_aside["category"].value_counts().items()})
        reasons.update({"line does not split into the header's fields": len(bad_lines)} if len(bad_lines) else {})
        reports[name] = TableReport(
            name,
            [str(f) for f in raw.files],
            raw.rows_read,
            len(outcome.set_aside) + len(bad_lines),
            dict(reasons),
            rows_by_rule=outcome.by_rule,
        )
        products = tables.arrow("products").column("product_code") if "products" in tables else None
        quality.append(notes(name, outcome.clean, products, raw))
        reports[name].seconds = time.perf_counter() - started
        r = reports[name]
        say(f"{name}: {r.rows_read:,} read, {r.rows_used:,} used, {r.rows_set_aside:,} set aside")
        del raw, outcome  # the text as read (a gigabyte for ten million lines): its memory goes back now,
        release_arrow_memory()  # not at the end of the pass, so that the next table does not add to it

    result = Validated(tables, reports, concat_quality(quality), files, present, merge.records, spread)
    enforce_reject_limit(result.reports.values(), result.quality, params)
    _require_period_sales(result, params)
    return result


def _check_specs(params: RunParams) -> None:
    """What the params file alone can tell: required tables, paths, expressions (before reading anything)."""
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
        refers = TABLES[name].refers if name in TABLES else None
        if refers is not None and refers[0] not in specs:
            raise InputError(
                f"table {name} names each row's {refers[1]} in table {refers[0]}, but the params file names no "
                f"source for {refers[0]}: add data.tables.{refers[0]}, or leave {name} out."
            )
        for canonical, text in spec.derive.items():
            check_expression(name, canonical, text)


def _validate_table(
    raw: RawTable,
    spec: TableSource,
    table: Table,
    params: RunParams,
    known_accounts: pa.ChunkedArray | None,
    dropped_accounts: pd.Series,
    merge: Merge,
    tables: Tables | None = None,
) -> _Outcome:
    canonical = to_canonical(
        raw, spec, table, params.data.date_format, params.base_dir, params.validation.max_abs_number
    )
    data = canonical.data
    rejects = Rejects()
    failures = canonical.failures
    for (column, soft), group in failures.groupby(["column", "soft"], sort=False):
        category = f"{column}: no match" if soft else f"{column}: unreadable value"
        rejects.add(group.index, category, group["reason"], str(column), bool(soft))
    unreadable: dict[str, np.ndarray] = {}
    for column, group in failures.groupby("column", sort=False):
        failed = np.zeros(raw.num_rows, dtype=bool)
        failed[group.index.to_numpy(dtype=np.int64)] = True
        unreadable[str(column)] = failed
    check_values(data, table, rejects, unreadable)
    check_dates(
        data,
        table,
        pd.Timestamp(params.validation.min_date),
        pd.Timestamp(params.quarter.end),
        params.validation.max_days_after_period,
        rejects,
    )
    if table.conditional or table.ordered or table.refers is not None:  # small contract tables: pandas
        frame = canonical.frame
        _check_required_when(frame, table, rejects, unreadable)
        _check_order(frame, table, rejects)
        if table.refers is not None and tables is not None and table.refers[0] in tables:
            _check_refers(data, table, tables.arrow(table.refers[0]), rejects)
    for rule in spec.set_aside:
        _set_aside_listed(raw, rule, table, params.base_dir, rejects)
    _check_duplicates(data, raw, table, spec, rejects, _identity(raw, canonical))
    if table.name == "accounts":
        merge = _merge_accounts(canonical.frame, params, rejects)
    if table.needs_accounts and known_accounts is not None and "account_id" in data.column_names:
        data = merge.apply_arrow(data)
        _check_accounts(data, known_accounts, dropped_accounts, rejects)

    problems = rejects.frame()
    blank = _blankable(problems, table)
    hard = problems[~blank]
    blanked = problems[blank & ~problems.index.isin(hard.index)]  # rows set aside keep every reason
    set_aside = _combine(hard)
    data = _blank_fields(data, blanked, table)
    keep = np.ones(raw.num_rows, dtype=bool)
    keep[set_aside.index.to_numpy(dtype=np.int64)] = False
    clean = data.filter(pa.array(keep)) if len(set_aside) else data
    by_rule = {rule.reason for rule in spec.set_aside} | {MERGED_REASON}
    only_rule = hard["category"].isin(by_rule).groupby(level=0).all()
    present = present_columns(clean.column_names, table)
    dropped = _dropped_accounts(canonical.frame, set_aside) if table.name == "accounts" else pd.Series(dtype="string")
    noted = blanked[["reason"]].assign(reason=blanked["reason"] + " — left blank, the row is kept")
    clean = complete_arrow(clean, table)
    return _Outcome(clean, set_aside, noted, present, int(only_rule.sum()), np.flatnonzero(keep), merge, dropped)


def _merge_accounts(frame: pd.DataFrame, params: RunParams, rejects: Rejects) -> Merge:
    """Read ``data.merge`` against the accounts not set aside; the merged accounts' rows are set aside by rule."""
    merge = read_merge(params, frame.drop(index=_combine(rejects.frame()).index))
    merged = frame.index[frame["account_id"].isin(list(merge.into)).to_numpy(dtype=bool)]
    into = frame.loc[merged, "account_id"].map(merge.into)
    rejects.add(merged, MERGED_REASON, "merged into " + into.astype(str) + " by data.merge: its rows count there")
    return merge


def _dropped_accounts(frame: pd.DataFrame, set_aside: pd.DataFrame) -> pd.Series:
    """account_id → why its row was set aside (merges aside), so that its lines can say so."""
    gone = set_aside[set_aside["category"] != MERGED_REASON]
    ids = frame.loc[gone.index, "account_id"]
    dropped = pd.Series(gone["reason"].to_numpy(), index=ids.to_numpy())
    return dropped[dropped.index.notna()].groupby(level=0).first()


def _blankable(problems: pd.DataFrame, table: Table) -> pd.Series:
    """Problems that only blank an optional field: any in a master table, lookups without a match elsewhere."""
    if problems.empty:
        return pd.Series(False, index=problems.index, dtype=bool)
    optional = {c.name for c in table.columns if not c.required}
    on_optional = problems["column"].isin(optional)
    return (on_optional & (problems["soft"].astype(bool) | table.master)).astype(bool)


def _blank_fields(data: pa.Table, noted: pd.DataFrame, table: Table) -> pa.Table:
    """Optional fields with a problem left blank (or at their default), the rows kept."""
    for column, group in noted.groupby("column", sort=False):
        col = table.by_name[str(column)]
        where = np.zeros(data.num_rows, dtype=bool)
        where[group.index.unique().to_numpy(dtype=np.int64)] = True
        values = data.column(col.name)
        blank = pa.scalar(col.default, type=values.type) if col.default is not None else pa.scalar(None, values.type)
        data = data.set_column(data.column_names.index(col.name), col.name, pc.if_else(pa.array(where), blank, values))
    return data


def _check_accounts(
    data: pa.Table, known_accounts: pa.ChunkedArray, dropped_accounts: pd.Series, rejects: Rejects
) -> None:
    """Lines of an unknown account are set aside; of an account set aside, with that account's reason."""
    ids = data.column("account_id")
    unknown = pc.and_(pc.is_valid(ids), pc.invert(in_set(ids, known_accounts)))
    rows = np.flatnonzero(mask(unknown))
    if not len(rows):
        return
    found = pd.Series(pc.cast(ids.take(pa.array(rows)), TEXT).to_pandas(), dtype="string")
    dropped = found.isin(dropped_accounts.index).fillna(False).to_numpy(dtype=bool)
    why = found[dropped].map(dropped_accounts)
    rejects.add(rows[dropped], "account set aside", "account " + found[dropped] + " set aside: " + why, "account_id")
    rejects.add(rows[~dropped], "unknown account_id", "unknown account_id '" + found[~dropped] + "'", "account_id")


def _merge_derived(accounts: pd.DataFrame, merge: Merge, report: TableReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accounts derived from sales with the merged ones taken out (counted as set aside by rule)."""
    if not merge.into:
        return accounts, pd.DataFrame(columns=QUALITY_COLUMNS)
    gone = accounts["account_id"].isin(list(merge.into)).to_numpy(dtype=bool)
    rows = accounts[gone]
    report.rows_set_aside += len(rows)
    report.rows_by_rule += len(rows)
    report.reasons[MERGED_REASON] = len(rows)
    quality = pd.DataFrame(
        {
            "table": "accounts",
            "kind": "set_aside",
            "source_file": "",
            "source_row": pd.NA,
            "reason": ("merged into " + rows["account_id"].map(merge.into).astype(str) + " by data.merge").to_numpy(),
            "row": rows[["account_id", "account_name"]]
            .to_json(orient="records", lines=True, force_ascii=False)
            .splitlines(),
        },
        columns=QUALITY_COLUMNS,
    )
    return accounts[~gone].reset_index(drop=True), quality


def in_set(values: pa.Array | pa.ChunkedArray, allowed: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Whether each value is one of ``allowed`` (Arrow's hash lookup; missing values are not)."""
    known = pc.unique(pc.cast(allowed, TEXT).drop_null())
    return is_in_text(values, known)


def _check_required_when(
    frame: pd.DataFrame, table: Table, rejects: Rejects, unreadable: dict[str, np.ndarray]
) -> None:
    """A column required only on some rows (``Column.required_when``) is empty on such a row."""
    for col in table.conditional:
        assert col.required_when is not None
        on, values = col.required_when
        if col.name not in frame or on not in frame:
            continue
        needed = frame[on].isin(list(values)).fillna(False).to_numpy(dtype=bool)
        empty = needed & frame[col.name].isna().to_numpy(dtype=bool)
        if col.name in unreadable:  # a value given but unreadable is set aside as that, not as empty
            empty &= ~unreadable[col.name]
        if empty.any():
            when = " or ".join(values)
            rejects.add(
                np.flatnonzero(empty),
                f"{col.name}: empty",
                f"{col.name}: empty (required when {on} is {when})",
                col.name,
            )


def _check_order(frame: pd.DataFrame, table: Table, rejects: Rejects) -> None:
    """Two dates in the wrong order (``Table.ordered``): an end before its start, a decision before its bid."""
    for earlier, later in table.ordered:
        if earlier not in frame or later not in frame:
            continue
        wrong = (frame[earlier] > frame[later]).fillna(False).to_numpy(dtype=bool)
        if wrong.any():
            first = frame.loc[wrong, earlier].dt.strftime("%Y-%m-%d")
            second = frame.loc[wrong, later].dt.strftime("%Y-%m-%d")
            reason = f"{later}: " + second + f" is before {earlier} " + first
            rejects.add(frame.index[wrong], f"{later} before {earlier}", reason, later)


def _check_refers(data: pa.Table, table: Table, parent: pa.Table, rejects: Rejects) -> None:
    """Rows naming a ``Table.refers`` key that the parent table does not have (or set aside)."""
    assert table.refers is not None
    other, column = table.refers
    if column not in data.column_names or column not in parent.column_names:
        return
    values = data.column(column)
    unknown = mask(pc.and_(pc.is_valid(values), pc.invert(in_set(values, parent.column(column)))))
    if unknown.any():
        rows = np.flatnonzero(unknown)
        ids = pd.Series(pc.cast(values.take(pa.array(rows)), TEXT).to_pandas(), dtype="string")
        rejects.add(rows, f"unknown {column}", f"unknown {column} '" + ids + f"' (not in {other})", column)


def _set_aside_listed(raw: RawTable, rule: SetAsideRule, table: Table, base_dir: Path, rejects: Rejects) -> None:
    """Rows whose ``rule.match`` value appears in another sheet's ``rule.column``."""
    if rule.match not in raw.source_columns:
        raise InputError(f"table {table.name}: set_aside matches column '{rule.match}', which is not in {raw.files[0]}")
    path = raw.files[0] if rule.path is None else resolve_paths(table.name, TableSource(path=rule.path), base_dir)[0]
    listed = read_side_table(table.name, path, rule.sheet)
    if rule.column not in listed.columns:
        raise InputError(
            f"table {table.name}: set_aside list {path} has no column '{rule.column}'; "
            f"its columns are {', '.join(str(c) for c in listed.columns)}"
        )
    values = sorted(set(listed[rule.column].dropna().astype(str).str.strip()))
    given = raw.column(rule.match)
    text = not isinstance(given, pd.Series) and (pa.types.is_string(given.type) or pa.types.is_large_string(given.type))
    if not text:
        given = pa.array(raw.series(rule.match).astype("string"), type=TEXT, from_pandas=True)
    hit = pc.is_in(pc.utf8_trim_whitespace(pc.cast(given, TEXT)), value_set=pa.array(values, type=TEXT))
    rejects.add(np.flatnonzero(mask(hit)), rule.reason, rule.reason)


def _identity(raw: RawTable, canonical: Canonical) -> pa.Table:
    """Per source column, what stands for its text in a row hash: the parsed column it was read into, else the text.

    Equal text gives equal parsed values, so rows equal in the source are equal here; numbers
    and codes hash many times faster than the text of ten million lines.
    """
    read_into = {source: name for name, source in canonical.mapping.items() if name in canonical.data.column_names}
    columns = [
        canonical.data.column(read_into[c]) if c in read_into else raw.arrow([c]).column(0) for c in raw.source_columns
    ]
    return pa.table(columns, names=[f"c{i}" for i in range(len(columns))])


def _check_duplicates(
    data: pa.Table, raw: RawTable, table: Table, spec: TableSource, rejects: Rejects, identity: pa.Table
) -> None:
    """Exact duplicate lines, then duplicate keys (fatal for accounts and opportunities).

    A line is an exact duplicate when it repeats an earlier line in every source column
    (``duplicates: source``, the default) or in every mapped column (``duplicates: mapped``).
    """
    if data.num_rows == 0:
        return
    mapped = spec.duplicates == "mapped"
    exact = first_occurrence(data) if mapped else first_occurrence(raw.arrow(), hashed=identity)
    if len(exact):
        reason = "exact duplicate of row " + pd.Series(raw.rows[exact.to_numpy()]).astype(str).to_numpy()
        rejects.add(exact.index, "exact duplicate line", reason)
    if not table.key or not set(table.key) <= set(data.column_names):
        return
    keyed = data.select(list(table.key))
    usable = np.ones(data.num_rows, dtype=bool)
    for column in keyed.columns:
        usable &= mask(pc.is_valid(column))
    usable[exact.index.to_numpy(dtype=np.int64)] = False
    positions = np.flatnonzero(usable)
    repeated = first_occurrence(keyed.take(pa.array(positions)), positions)
    if repeated.empty:
        return
    key = ", ".join(table.key)
    row_number = raw.rows
    if table.key_fatal:
        shown = raw_key_values(keyed, repeated.index.to_numpy())
        numbers = row_number[repeated.index.to_numpy()].astype(str)
        examples = "; ".join(f"'{v}' (row {r})" for v, r in list(zip(shown, numbers, strict=True))[:5])
        raise InputError(
            f"table {table.name} ({', '.join(str(f) for f in raw.files)}): duplicate {key}: {examples}"
            f"{' …' if len(repeated) > 5 else ''} — {len(repeated)} in all. Each {key} must appear once; "
            "fix the export (or its column mapping) and run again."
        )
    reason = f"duplicate {key} of row " + pd.Series(row_number[repeated.to_numpy()]).astype(str).to_numpy()
    rejects.add(repeated.index, f"duplicate {key}", reason)


def raw_key_values(keyed: pa.Table, positions: np.ndarray) -> list[str]:
    """The key values of the rows at ``positions``, joined by ", " (as a message shows them)."""
    frame = keyed.take(pa.array(positions)).to_pandas()
    return list(frame.astype(str).agg(", ".join, axis=1))


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


def _require_period_sales(result: Validated, params: RunParams) -> None:
    """A period without a single sales line would make a pack of zeros: stop and say what the data covers."""
    dates = result.tables.arrow("sales").column("date")
    quarter = params.quarter
    files = ", ".join(str(f) for f in result.files.get("sales", []))
    start, end = pd.Timestamp(quarter.start), pd.Timestamp(quarter.end)
    inside = pc.and_(pc.greater_equal(dates, start.to_pydatetime()), pc.less_equal(dates, end.to_pydatetime()))
    if pc.any(inside).as_py():
        return
    if dates.null_count < len(dates):
        bounds = pc.min_max(dates).as_py()
        low, high = pd.Timestamp(bounds["min"]), pd.Timestamp(bounds["max"])
        covered = f"the sales lines cover {low:%Y-%m-%d} to {high:%Y-%m-%d} ({len(dates):,} lines)"
    else:
        read = result.reports["sales"].rows_read
        covered = "the sales file has no data lines, only a header" if read == 0 else "no sales line could be used"
    raise InputError(
        f"period {quarter} ({quarter.start} to {quarter.end}) has no sales lines: {covered} ({files}). "
        "Check period in the params file, or data.tables.sales.path."
    )
