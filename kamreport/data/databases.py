"""Connecting to a database and running a table's query into Arrow: DuckDB files and PostgreSQL.

DuckDB files are read embedded (the ``duckdb`` package, no server), read-only.  PostgreSQL is
read through ADBC (``adbc-driver-postgresql``, the optional extra ``kamreport[postgres]``),
which hands the rows over as Arrow; ``benchmarks/bench_sql.py`` measured it against psycopg 3
(README there).  A session is read-only whatever the query says, and every query has a
timeout (``data.connections.<name>.query_timeout``).

The password of a PostgreSQL connection comes from ``KAMREPORT_DB_<NAME>_PASSWORD`` when set,
else from libpq's own files (``~/.pgpass``); it is put into the URI the driver gets, in memory
only, and blanked out of any message.  Every failure is an :class:`~kamreport.errors.InputError`
naming the connection and the table and saying what to do.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pyarrow as pa

from kamreport.errors import InputError
from kamreport.params import Connection, expand_env, find_placeholders, password_variable

CONNECT_TIMEOUT_MAX = 30  # seconds: an unreachable server answers nothing; do not wait the whole query timeout
INSTALL_POSTGRES = "pip install 'kamreport[postgres]' (make installs it)"


@dataclass(frozen=True)
class Query:
    """One table's query as it will run: where, what text, which values bound."""

    table: str
    connection: str
    url: str  # as in the params: never a password
    sql: str  # as in the params, placeholders and all
    bound: tuple[tuple[str, date], ...]  # the placeholders the text uses, with their values
    timeout: float
    duckdb_file: str | None  # the DuckDB file, resolved; None for PostgreSQL

    @property
    def origin(self) -> str:
        """How messages and data_quality.csv name where the rows came from."""
        return f"connection {self.connection}"

    def bound_text(self) -> str:
        """`` (:period_end = 2026-09-30, …)`` for messages; empty without placeholders."""
        values = ", ".join(f":{name} = {value.isoformat()}" for name, value in self.bound)
        return f" ({values})" if values else ""


def positional(sql: str) -> str:
    """``sql`` with each placeholder replaced by ``$n``, numbered in order of first use."""
    numbers: dict[str, int] = {}
    parts: list[str] = []
    last = 0
    for placeholder in find_placeholders(sql):
        number = numbers.setdefault(placeholder.name, len(numbers) + 1)
        parts.extend([sql[last : placeholder.start], f"${number}"])
        last = placeholder.end
    parts.append(sql[last:])
    return "".join(parts)


def duckdb_path(connection: Connection, base_dir: Path) -> Path:
    """The file of a ``duckdb:///path`` URL: ``${VAR}`` expanded, relative to ``data.base_dir``."""
    path = Path(expand_env(connection.url[len("duckdb:///") :])).expanduser()
    return path if path.is_absolute() else base_dir / path


Fetch = Callable[[Query], pa.Table]


@contextmanager
def connected(query: Query) -> Iterator[Fetch]:
    """A session on ``query``'s database; the function it yields runs a query of that connection.

    Raises
    ------
    InputError
        The database cannot be opened or reached, or refuses the credentials.
    """
    session = _duckdb_session if query.duckdb_file is not None else _postgres_session
    with session(query) as fetch:
        yield fetch


def run_query(query: Query, fetch: Fetch) -> pa.Table:
    """Run ``query`` in a session and check what came back.

    Raises
    ------
    InputError
        The query fails or times out, returns no rows, or a column name twice.
    """
    rows = fetch(query)
    names = rows.column_names
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            f"table {query.table}: the query on {query.origin} returns the column(s) {', '.join(twice)} more than "
            f"once. Give each its own name (… AS other_name) in data.tables.{query.table}.sql."
        )
    if rows.num_rows == 0:
        raise InputError(
            f"table {query.table}: the query on {query.origin} returned no rows{query.bound_text()}. Check its "
            f"where clause in data.tables.{query.table}.sql and the data for the period, or leave the table out."
        )
    return rows


def _values(query: Query) -> list[date]:
    return [value for _name, value in query.bound]


@contextmanager
def _duckdb_session(first: Query) -> Iterator[Fetch]:
    import duckdb

    path = Path(str(first.duckdb_file))
    if not path.is_file():
        raise InputError(
            f"table {first.table}: {first.origin}: no DuckDB file at {path}. Check data.connections.{first.connection}"
            ".url (duckdb:///path, relative to data.base_dir; duckdb:////path for an absolute one)."
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise InputError(
            f"table {first.table}: {first.origin}: cannot open the DuckDB file {path}: {exc}. Is it a DuckDB "
            "database, and is no other program writing to it?"
        ) from exc

    def fetch(query: Query) -> pa.Table:
        # DuckDB has no statement timeout of its own: interrupt the query when time is up
        timer = threading.Timer(query.timeout, con.interrupt)
        timer.start()
        try:
            return con.sql(positional(query.sql), params=_values(query)).to_arrow_table()
        except duckdb.InterruptException as exc:
            raise InputError(_timeout_message(query)) from exc
        except duckdb.Error as exc:
            raise InputError(_query_message(query, str(exc))) from exc
        finally:
            timer.cancel()

    try:
        yield fetch
    finally:
        con.close()


@contextmanager
def _postgres_session(first: Query) -> Iterator[Fetch]:
    try:
        import adbc_driver_postgresql.dbapi as pg
        from adbc_driver_manager import Error as DriverError
    except ImportError as exc:
        raise InputError(
            f"table {first.table}: {first.origin} is a PostgreSQL database and its driver is not installed: "
            f"{INSTALL_POSTGRES}."
        ) from exc
    password = os.environ.get(password_variable(first.connection)) or None
    try:
        conn = pg.connect(postgres_uri(first.url, first.timeout, password), autocommit=True)
    except DriverError as exc:
        raise InputError(_connect_message(first, _scrub(str(exc), password))) from exc

    def fetch(query: Query) -> pa.Table:
        try:
            with conn.cursor() as cur:
                # read only: a query cannot change the company's database, whatever its text says
                cur.execute("SET default_transaction_read_only = on")
                cur.execute(f"SET statement_timeout = {round(query.timeout * 1000)}")
                cur.execute(positional(query.sql), _values(query) or None)
                return cur.fetch_arrow_table()
        except DriverError as exc:
            message = _scrub(str(exc), password)
            if "statement timeout" in message:
                raise InputError(_timeout_message(query)) from exc
            raise InputError(_query_message(query, message)) from exc

    try:
        yield fetch
    finally:
        conn.close()


def postgres_uri(url: str, timeout: float, password: str | None) -> str:
    """The libpq URI the driver gets: the password added when given, a connect timeout and an application name.

    Held in memory only: it is never written or shown.
    """
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    options.setdefault("connect_timeout", str(max(2, min(CONNECT_TIMEOUT_MAX, round(timeout)))))
    options.setdefault("application_name", "kamreport")
    netloc = parts.netloc
    if password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(options), parts.fragment))


def _scrub(message: str, password: str | None) -> str:
    """The driver's message with the password (plain or URL-encoded) blanked, should it ever quote it."""
    if password:
        for form in {password, quote(password, safe="")}:
            message = message.replace(form, "***")
    return " ".join(message.split()).rstrip(".")


def _connect_message(query: Query, message: str) -> str:
    where = f"table {query.table}: cannot connect to {query.origin} ({query.url}): {message}."
    lowered = message.lower()
    if "password" in lowered or "authentication" in lowered:
        return (
            f"{where} Set the password in the environment variable {password_variable(query.connection)} or in "
            "~/.pgpass (host:port:database:user:password), and check the user name in "
            f"data.connections.{query.connection}.url."
        )
    return (
        f"{where} Check the host, port and database in data.connections.{query.connection}.url, that the server "
        "is running and that it accepts connections from this machine."
    )


def _query_message(query: Query, message: str) -> str:
    ending = "" if message.endswith(("!", "?")) else "."
    return (
        f"table {query.table}: the query on {query.origin} failed: {message}{ending} "
        f"Fix data.tables.{query.table}.sql{query.bound_text()}."
    )


def _timeout_message(query: Query) -> str:
    return (
        f"table {query.table}: the query on {query.origin} ran longer than {query.timeout:g} s and was stopped. "
        f"Raise data.connections.{query.connection}.query_timeout or narrow the query."
    )
