"""Where each input table comes from and how it is read: ``data`` and ``validation`` in a params file."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kamreport.contract import MAX_ABS_NUMBER, TABLES
from kamreport.params.base import StrictModel, unknown_name
from kamreport.params.connections import Connection, check_connection, check_placeholders


class Lookup(StrictModel):
    """Fill a column from another sheet or file by joining on a column already read.

    Example: the owner of each account from a *People* sheet keyed by region.
    """

    path: str | None = Field(None, description="file holding the lookup table; default: the table's own file")
    sheet: str | int | None = Field(None, description="sheet of an Excel file")
    key: str = Field(description="column of the lookup table to match on")
    value: str = Field(description="column of the lookup table to take")
    by: str = Field(description="canonical column of this table whose value is matched against `key`")


class SetAsideRule(StrictModel):
    """Set rows aside when a column's value is listed in another sheet or file (e.g. returns)."""

    path: str | None = Field(None, description="file holding the list; default: the table's own file")
    sheet: str | int | None = Field(None, description="sheet of an Excel file")
    column: str = Field(description="column of the list holding the values")
    match: str = Field(description="source column of this table compared with the list")
    reason: str = Field(description="reason written to data_quality.csv")


class TableSource(StrictModel):
    """Where one table of docs/data-contract.md comes from and how its columns map."""

    path: str | list[str] | None = Field(
        None,
        description="file, glob or list of files (.csv .csv.gz .tsv .parquet .xlsx .xls), relative to data.base_dir",
    )
    sheet: str | int | None = Field(None, description="sheet name or 0-based index of an Excel file; default the first")
    encoding: str = Field(
        "auto", description="text encoding of a CSV: auto (UTF-8 with or without BOM), gbk, gb18030, latin-1 …"
    )
    delimiter: str | None = Field(None, description="CSV delimiter; default: detected from the header line")
    header_row: int = Field(1, ge=1, description="row number of the header line (CSV line or sheet row)")
    date_format: str | None = Field(
        None, description="strftime format of this table's text dates, e.g. '%d/%m/%y'; overrides data.date_format"
    )
    decimal: str = Field(".", description="decimal mark of text numbers")
    thousands: str | None = Field(None, description="thousands separator of text numbers, e.g. ','")
    columns: dict[str, str] = Field(default_factory=dict, description="source column → canonical column")
    derive: dict[str, str] = Field(
        default_factory=dict, description='canonical column → expression over source columns, e.g. "Sales - Profit"'
    )
    lookups: dict[str, Lookup] = Field(default_factory=dict, description="canonical column → lookup in another sheet")
    set_aside: list[SetAsideRule] = Field(default_factory=list, description="rules that set rows aside by a list")
    from_table: Literal["sales"] | None = Field(
        None,
        description="accounts and products only: derive the table from columns of the sales lines (no master file)",
    )
    resolve: Literal["latest", "most_revenue"] = Field(
        "latest",
        description="with from_table: the value kept when a key has several (latest, most_revenue)",
    )
    duplicates: Literal["source", "mapped"] = Field(
        "source",
        description="exact duplicate lines are equal in every source column (source) or only in the mapped ones",
    )
    connection: str | None = Field(None, description="with sql: the name of a data.connections entry to query")
    sql: str | None = Field(
        None,
        description=(
            "instead of path: a query whose result is the table (same columns, derive, lookups and checks as a file); "
            ":history_start, :period_start and :period_end are bound as query parameters"
        ),
    )

    @field_validator("sql")
    @classmethod
    def _placeholders(cls, sql: str | None) -> str | None:
        return None if sql is None else check_placeholders(sql)

    @model_validator(mode="after")
    def _one_source(self) -> TableSource:
        if self.sql is None and self.connection is None:
            return self
        if self.sql is None or self.connection is None:
            raise ValueError("a SQL source needs both connection (a data.connections name) and sql (the query)")
        fields = type(self).model_fields
        file_keys = sorted(k for k in _FILE_ONLY if getattr(self, k) != fields[k].get_default())
        if file_keys:
            raise ValueError(f"a SQL source reads no file: remove {', '.join(file_keys)} (or sql and connection)")
        unpathed = [f"lookups.{c}" for c, lk in self.lookups.items() if lk.path is None]
        unpathed += [f"set_aside[{i}]" for i, rule in enumerate(self.set_aside) if rule.path is None]
        if unpathed:
            raise ValueError(f"{', '.join(unpathed)}: a SQL source has no file of its own; give their path")
        return self

    @property
    def is_sql(self) -> bool:
        """Whether the table comes from a query rather than files."""
        return self.sql is not None

    @property
    def paths(self) -> list[str]:
        """The path entries as a list."""
        if self.path is None:
            return []
        return [self.path] if isinstance(self.path, str) else list(self.path)


# TableSource keys that only mean something for files.
_FILE_ONLY = {"path", "sheet", "encoding", "delimiter", "header_row", "from_table"}


class DataParams(StrictModel):
    """The input tables."""

    base_dir: str = Field(
        ".", description="folder the table paths are relative to (itself relative to the params file)"
    )
    date_format: str | None = Field(None, description="default strftime format of text dates for every table")
    connections: dict[str, Connection] = Field(
        default_factory=dict, description="connection name ([a-z][a-z0-9_]*) → database the sql tables are read from"
    )
    tables: dict[str, TableSource] = Field(default_factory=dict, description="table name → source")
    merge: TableSource | None = Field(
        None,
        description="accounts that are one customer under several ids: a table with columns account_id and into, "
        "given like data.tables.<table> (path, sheet, columns …); each account_id's rows count under its into, "
        "before any KPI. Never merged without it",
        json_schema_extra={"reference": "data.tables.<table>"},
    )

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, tables: dict[str, TableSource]) -> dict[str, TableSource]:
        for name in tables:
            if name not in TABLES:
                raise ValueError(unknown_name(name, list(TABLES), "table"))
        return tables

    @field_validator("connections")
    @classmethod
    def _connections(cls, connections: dict[str, Connection]) -> dict[str, Connection]:
        for name, connection in connections.items():
            check_connection(name, connection)
        return connections

    @model_validator(mode="after")
    def _known_connections(self) -> DataParams:
        for table, spec in self.tables.items():
            if spec.connection is not None and spec.connection not in self.connections:
                known = list(self.connections)
                hint = unknown_name(spec.connection, known, "connection") if known else "no data.connections given"
                raise ValueError(f"tables.{table}.connection: {hint}")
        return self


class ValidationParams(StrictModel):
    """What bad input gets (docs/data-contract.md, "What bad input gets")."""

    max_reject_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="a table losing more than this share of rows as bad input fails the run (every run, stored "
        "results too; rows a set_aside rule removes do not count)",
    )
    allow_rejects: bool = Field(
        False, description="go on even when a table loses more than max_reject_share (CLI --allow-rejects)"
    )
    min_date: date = Field(
        date(1990, 1, 1),
        description="an event date (sales, visit, order, delivery, invoice, payment, spend) before "
        "this sets its row aside",
    )
    max_days_after_period: int = Field(
        366,
        ge=0,
        description="an event date more than this many days after the period's end sets its row aside "
        "(planned dates such as expected_close and due_date are not limited)",
    )
    max_abs_number: float = Field(
        MAX_ABS_NUMBER,
        gt=0,
        le=1e15,  # totals are summed as 38-digit decimals with 12 places (kamreport.facts.EXACT_SUM)
        description="a number beyond ± this (or inf, NaN) sets its row aside: no real export holds it",
    )
