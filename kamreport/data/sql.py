"""Tables read by a SQL query, in the raw-table shape of a file, fingerprinted by their rows.

A table whose source has ``connection:`` and ``sql:`` is read here into what a file reader
produces (:class:`~kamreport.data.raw.RawTable`: source columns, values as the database
gives them, a row number each), so that mapping, derived columns, lookups, validation and
reconciliation are the file's.  The placeholders ``:history_start``, ``:period_start`` and
``:period_end`` are bound as query parameters (:mod:`kamreport.data.databases`).

Each result is fingerprinted by a hash of its rows (:func:`row_hash`), which feeds the results
key as a file's SHA-256 does.  The fingerprint reads the rows and keeps them until the
validation reads the table (:func:`read_sql_table`): the rows used are the rows hashed, and the
database is queried once per run.

Rows set aside are named in data_quality.csv by the table's key columns (for a table without a
key: its required id and date columns) and by their position in the result, which is the same
on a rerun only when the query has an ``ORDER BY``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import TABLES, Table
from kamreport.data.canonical import map_columns
from kamreport.data.databases import Query, connected, duckdb_path, run_query
from kamreport.data.raw import SOURCE_FILE, RawTable
from kamreport.params import RunParams, TableSource, find_placeholders
from kamreport.records import InputFile

if TYPE_CHECKING:
    import duckdb


def query_bindings(params: RunParams) -> dict[str, date]:
    """The placeholders' values for the run: first day of the first trend quarter, the period's first and last day."""
    period = params.quarter
    return {
        "history_start": period.shift(1 - params.kpi.trend_quarters).start,
        "period_start": period.start,
        "period_end": period.end,
    }


def table_query(table: str, spec: TableSource, params: RunParams) -> Query:
    """The :class:`~kamreport.data.databases.Query` of a SQL table source."""
    assert spec.sql is not None and spec.connection is not None  # the params guarantee both or neither
    connection = params.data.connections[spec.connection]
    values = query_bindings(params)
    used = dict.fromkeys(p.name for p in find_placeholders(spec.sql))
    return Query(
        table,
        spec.connection,
        connection.url,
        spec.sql,
        tuple((name, values[name]) for name in used),
        connection.query_timeout,
        str(duckdb_path(connection, params.base_dir)) if connection.is_duckdb else None,
    )


def as_source_columns(rows: pa.Table) -> pa.Table:
    """Arrow types the parsers read, values unchanged.

    Dates become timestamps (as in a Parquet file), decimals floats, and PostgreSQL types Arrow
    has no type for (``numeric``, ``json`` …, given as an extension over text) their text.
    """
    columns = []
    for column in rows.columns:
        kind = column.type
        if isinstance(kind, pa.BaseExtensionType):
            column = pa.chunked_array([chunk.storage for chunk in column.chunks], type=kind.storage_type)
        elif pa.types.is_date(kind):
            column = pc.cast(column, pa.timestamp("us"))
        elif pa.types.is_decimal(kind):
            column = pc.cast(column, pa.float64())
        columns.append(column)
    return pa.table(columns, names=rows.column_names)


@cache
def _hasher() -> duckdb.DuckDBPyConnection:
    import duckdb

    return duckdb.connect()


def row_hash(rows: pa.Table) -> str:
    """SHA-256 over the column names and types and every row's hash, in result order.

    DuckDB hashes each row (all columns, in parallel); a different value anywhere, a row more
    or less, or rows in another order give another hash.
    """
    digest = hashlib.sha256(str(rows.schema.remove_metadata()).encode())
    if rows.num_columns:
        con = _hasher().cursor()
        try:
            con.register("rows_read", rows)
            names = ", ".join('"' + n.replace('"', '""') + '"' for n in rows.column_names)
            hashes = con.sql(f"SELECT hash({names}) AS h FROM rows_read").to_arrow_table()["h"]
        finally:
            con.close()
        for chunk in hashes.chunks:
            digest.update(chunk.to_numpy(zero_copy_only=False).tobytes())
    return digest.hexdigest()


@dataclass
class QueryResult:
    """A query's rows (in the readers' types) and their hash."""

    query: Query
    rows: pa.Table
    sha256: str


def read_queries(queries: list[Query]) -> list[QueryResult]:
    """Run ``queries``, one session per connection; their rows and hashes, in the order given."""
    results: dict[Query, QueryResult] = {}
    for _connection, group in groupby(sorted(queries, key=lambda q: q.connection), key=lambda q: q.connection):
        batch = list(group)
        with connected(batch[0]) as fetch:
            for query in batch:
                rows = as_source_columns(run_query(query, fetch))
                results[query] = QueryResult(query, rows, row_hash(rows))
    return [results[q] for q in queries]


# The rows the fingerprint read, waiting for the validation to take them: one run's worth,
# dropped when the next fingerprint starts, when it fails, and when the stored results are
# reused instead (:func:`forget_prefetched`), so that no later reading takes stale rows.
_PENDING: dict[Query, QueryResult] = {}


def forget_prefetched() -> None:
    """Drop the rows the fingerprint read and no validation took (the stored results were reused)."""
    _PENDING.clear()


def sql_inputs(
    params: RunParams, known: list[InputFile] | None = None, query_databases: bool = True
) -> list[InputFile]:
    """The fingerprint of every SQL table: connection, URL, query, bound values, rows and their hash.

    Parameters
    ----------
    params
        The run.
    known
        Fingerprints stored with the results (``meta.json``).
    query_databases
        False: a table whose connection, query and bound values match a stored fingerprint keeps
        its stored hash without running the query (a notebook rendering a run that
        ``kamreport run`` just made); the others are queried.

    Raises
    ------
    InputError
        A database cannot be reached or a query fails (:mod:`kamreport.data.databases`).
    """
    stored = {_identity_of(f): f for f in known or [] if f.connection is not None}
    if query_databases:
        _PENDING.clear()
    queries = [table_query(table, spec, params) for table, spec in params.data.tables.items() if spec.is_sql]
    reused = {q: stored[_identity(q)] for q in queries if not query_databases and _identity(q) in stored}
    try:
        results = read_queries([q for q in queries if q not in reused])
    except BaseException:
        _PENDING.clear()
        raise
    for result in results:
        _PENDING[result.query] = result
        reused[result.query] = input_record(result)
    return [reused[q] for q in queries]


def input_record(result: QueryResult) -> InputFile:
    """What run.json and the results key record about one query's rows."""
    query = result.query
    return InputFile(
        query.table,
        f"{query.connection}: {query.url}",
        result.rows.nbytes,
        0,
        result.sha256,
        connection=query.connection,
        url=query.url,
        query=query.sql,
        bound={name: value.isoformat() for name, value in query.bound},
        rows=result.rows.num_rows,
    )


def _identity(query: Query) -> tuple[str, str, str, str, str]:
    bound = ",".join(f"{name}={value.isoformat()}" for name, value in query.bound)
    return (query.table, query.connection, query.url, query.sql, bound)


def _identity_of(record: InputFile) -> tuple[str, str, str, str, str]:
    bound = ",".join(f"{name}={value}" for name, value in (record.bound or {}).items())
    return (record.table, str(record.connection), str(record.url), str(record.query), bound)


# ---------------------------------------------------------------- the raw table


@dataclass
class QueryTable(RawTable):
    """A raw table read by a query; ``key`` are the source columns that name a row in data_quality.csv."""

    origin: str = ""
    key: list[str] = field(default_factory=list)


def read_sql_table(table: str, spec: TableSource, params: RunParams) -> QueryTable:
    """The rows of a SQL table source as a raw table: source columns, the position in the result as row number."""
    query = table_query(table, spec, params)
    result = _PENDING.pop(query, None) or read_queries([query])[0]
    rows = result.rows.rename_columns([str(c) for c in result.rows.column_names])
    n = rows.num_rows
    raw = QueryTable(
        table,
        rows,
        [Path(query.origin)],
        np.arange(1, n + 1, dtype=np.int64),
        np.zeros(n, dtype=np.int16),
        [query.origin],
        origin=query.origin,
    )
    mapping = map_columns(raw, spec, TABLES[table])
    raw.key = [mapping[c] for c in naming_columns(TABLES[table]) if c in mapping]
    return raw


def naming_columns(table: Table) -> tuple[str, ...]:
    """The canonical columns that name a row: the table's key, else its required text and date columns."""
    if table.key:
        return table.key
    return tuple(c.name for c in table.columns if c.required and c.kind in ("str", "date", "period", "quarter"))


def row_origins(raw: RawTable, rows: pd.DataFrame) -> np.ndarray:
    """data_quality.csv's ``source_file`` of ``rows``: the file, or for a query the connection and the row's key."""
    origins = rows[SOURCE_FILE].astype(str).to_numpy()
    if not isinstance(raw, QueryTable) or not raw.key:
        return origins
    named = [
        ", ".join(f"{column}={_shown(value)}" for column, value in zip(raw.key, values, strict=True))
        for values in rows[raw.key].itertuples(index=False, name=None)
    ]
    return np.array([f"{raw.origin}: {text}" for text in named], dtype=object)


def _shown(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return "(empty)"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)
