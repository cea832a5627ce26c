"""Where each input table comes from and how it is read: ``data`` and ``validation`` in a params file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from kamreport.contract import TABLES
from kamreport.params.base import StrictModel, unknown_name


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

    @property
    def paths(self) -> list[str]:
        """The path entries as a list."""
        if self.path is None:
            return []
        return [self.path] if isinstance(self.path, str) else list(self.path)


class DataParams(StrictModel):
    """The input tables."""

    base_dir: str = Field(
        ".", description="folder the table paths are relative to (itself relative to the params file)"
    )
    date_format: str | None = Field(None, description="default strftime format of text dates for every table")
    tables: dict[str, TableSource] = Field(default_factory=dict, description="table name → source")

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, tables: dict[str, TableSource]) -> dict[str, TableSource]:
        for name in tables:
            if name not in TABLES:
                raise ValueError(unknown_name(name, list(TABLES), "table"))
        return tables


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
