"""The contract's tables as pandas and pandera objects: typed empty columns and value checks."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from kamreport.contract import DTYPES, TABLES, Table

if TYPE_CHECKING:
    import pandera.pandas as pa


def present_columns(frame: pd.DataFrame, table: Table) -> list[str]:
    """The contract columns ``frame`` really has, in contract order.

    Recorded before :func:`complete_columns` adds the others, so that a KPI over a column the
    company does not supply comes out missing rather than zero.
    """
    return [c for c in table.names if c in frame.columns]


def complete_columns(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Every contract column, in contract order; a column the source lacks is all missing."""
    for col in table.columns:
        if col.name not in frame.columns:
            frame[col.name] = pd.Series(index=frame.index, dtype=DTYPES[col.kind])
    return frame[table.names]


@cache
def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a parsed table: required values present, ranges and enums.

    Types are established by the reader before this runs, so the schema checks values only;
    each check's ``error`` is the reason a failing row is set aside with.
    """
    import pandera.pandas as pa

    columns = {}
    for col in TABLES[table].columns:
        checks = []
        if col.ge is not None:
            checks.append(pa.Check.ge(col.ge, error=f"{col.name} below {col.ge:g}"))
        if col.gt is not None:
            checks.append(pa.Check.gt(col.gt, error=f"{col.name} not above {col.gt:g}"))
        if col.le is not None:
            checks.append(pa.Check.le(col.le, error=f"{col.name} above {col.le:g}"))
        if col.values:
            checks.append(pa.Check.isin(list(col.values), error=f"{col.name} not one of {', '.join(col.values)}"))
        columns[col.name] = pa.Column(checks=checks, nullable=not col.required, required=False, coerce=False)
    return pa.DataFrameSchema(columns, name=table, coerce=False)
