"""Database connections (``data.connections``) and the placeholders of a table's SQL query.

A table may come from a query instead of a file::

    data:
      connections:
        erp: {url: "postgresql://kam@db.example/erp"}
      tables:
        sales: {connection: erp, sql: "select * from sales_lines where invoice_date <= :period_end"}

A connection's URL never holds a password: it comes from ``KAMREPORT_DB_<NAME>_PASSWORD`` or
from the driver's own files (``~/.pgpass``), so that a params file can be shared and
recorded in the run folder.  The placeholders ``:history_start``, ``:period_start`` and
``:period_end`` are bound as query parameters by the reader; here they are only found (and an
unknown one refused), skipping quoted text, comments and ``::`` casts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from pydantic import Field

from kamreport.params.base import StrictModel

CONNECTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
POSTGRES_SCHEMES = ("postgresql", "postgres")
DUCKDB_SCHEME = "duckdb"
PLACEHOLDERS = {
    "history_start": "first day of the first trend quarter (kpi.trend_quarters quarters ending with the period)",
    "period_start": "first day of the run's period",
    "period_end": "last day of the run's period",
}

# Quoted text, quoted names, comments and dollar-quoted bodies hold no placeholder; a run of
# colons (a `::` cast) is skipped whole; `:name` after a letter or digit is an array slice.
_SKIPPED = r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|(?P<dollar>\$[A-Za-z_]*\$).*?(?P=dollar)|::+"
_TOKEN = re.compile(rf"{_SKIPPED}|(?<![\w:]):(?P<name>[A-Za-z_][A-Za-z0-9_]*)", re.DOTALL)


def password_variable(name: str) -> str:
    """The environment variable holding connection ``name``'s password: ``KAMREPORT_DB_<NAME>_PASSWORD``."""
    return f"KAMREPORT_DB_{name.upper()}_PASSWORD"


@dataclass(frozen=True)
class Placeholder:
    """One ``:name`` in a query: its name and where it stands in the text."""

    name: str
    start: int
    end: int


def find_placeholders(sql: str) -> list[Placeholder]:
    """Every ``:name`` outside quotes and comments, in order (``::date`` casts are not placeholders)."""
    return [
        Placeholder(m.group("name"), m.start(), m.end()) for m in _TOKEN.finditer(sql) if m.group("name") is not None
    ]


def check_placeholders(sql: str) -> str:
    """``sql`` unchanged when every placeholder is known.

    Raises
    ------
    ValueError
        A ``:name`` that is not one of :data:`PLACEHOLDERS` (the message lists them).
    """
    unknown = sorted({p.name for p in find_placeholders(sql)} - set(PLACEHOLDERS))
    if unknown:
        known = ", ".join(f":{n}" for n in PLACEHOLDERS)
        raise ValueError(
            f"unknown placeholder(s) {', '.join(':' + n for n in unknown)} in the query; the placeholders are "
            f"{known} (a cast is written ::type)"
        )
    return sql


class Connection(StrictModel):
    """A database the tables can be read from."""

    url: str = Field(
        description=(
            "postgresql://user@host:port/database (PostgreSQL: pip install 'kamreport[postgres]'), or "
            "duckdb:///file.duckdb (relative to data.base_dir; duckdb:////abs/path.duckdb for an absolute path). "
            "Never a password: it comes from KAMREPORT_DB_<NAME>_PASSWORD or ~/.pgpass"
        )
    )
    query_timeout: float = Field(
        600, gt=0, description="seconds a query may run (and at most 30 of them to connect) before the run stops"
    )

    @property
    def is_duckdb(self) -> bool:
        """Whether this is an embedded DuckDB file (else a PostgreSQL server)."""
        return urlsplit(self.url).scheme.lower() == DUCKDB_SCHEME


def check_connection(name: str, connection: Connection) -> None:
    """Refuse a connection whose name is not an identifier or whose URL is unsupported or holds a password.

    The messages never repeat the URL: it may hold the password being refused.

    Raises
    ------
    ValueError
        Naming the connection and what to write instead.
    """
    if not CONNECTION_NAME.match(name):
        raise ValueError(
            f"connection name '{name}' is not an identifier: use lower-case letters, digits and _, "
            f"starting with a letter (it names the variable {password_variable('NAME')})"
        )
    url = connection.url
    try:
        parts = urlsplit(url)
        has_password = parts.password is not None
    except ValueError:  # a malformed port, say
        raise ValueError(f"connection {name}: url is not a valid database URL") from None
    scheme = parts.scheme.lower()
    if scheme == DUCKDB_SCHEME:
        if not url.lower().startswith("duckdb:///") or len(url) <= len("duckdb:///"):
            raise ValueError(f"connection {name}: a DuckDB url is duckdb:///file.duckdb (three slashes, then the path)")
        return
    if scheme not in POSTGRES_SCHEMES:
        raise ValueError(
            f"connection {name}: unsupported url scheme '{parts.scheme}': use postgresql://user@host:port/database "
            "or duckdb:///file.duckdb"
        )
    if has_password or "password" in parse_qs(parts.query):
        raise ValueError(
            f"connection {name}: the url contains a password. Remove it from the params file and put it in the "
            f"environment variable {password_variable(name)} or in ~/.pgpass (the driver's password file), "
            "so that it is never written to the params file or the run folder"
        )
