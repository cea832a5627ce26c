"""The demo tables as a DuckDB database file, the way a company database holds them.

One table per demo table, dates as ``DATE`` (the demo's timestamps are all at midnight),
money as ``DOUBLE``; a params file reads it with ``connection`` and ``sql`` sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DEMO_DUCKDB = "kam.duckdb"
DEMO_CONNECTION = "demo"


def database_table(frame: pd.DataFrame) -> pa.Table:
    """A demo frame as Arrow with day-precision dates as ``date32`` (how a database column holds them)."""
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            days = pc.cast(table.column(i), pa.date32())
            if pc.all(pc.equal(pc.cast(days, field.type), table.column(i))).as_py() is not False:
                table = table.set_column(i, field.name, days)
    return table


def write_duckdb(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write ``tables`` into a new DuckDB file at ``path`` (replacing one that is there)."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name, frame in tables.items():
            con.register("frame", database_table(frame))
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
    finally:
        con.close()
    tmp.replace(path)
    return path


def demo_queries(tables: Iterable[str]) -> dict[str, dict[str, str]]:
    """The table sources of a params file reading the demo database: one query per table.

    The dated tables show the placeholders: sales up to the period's last day, visits from the
    first trend quarter on.
    """
    windows = {
        "sales": ' where "date" <= :period_end',
        "visits": ' where "date" >= :history_start and "date" <= :period_end',
    }
    return {t: {"connection": DEMO_CONNECTION, "sql": f'select * from "{t}"{windows.get(t, "")}'} for t in tables}
