"""What a run prints: the per-table summary and progress with n/N and ETA."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table


def print_summary(console: Console, summary: pd.DataFrame) -> None:
    """The per-table summary: rows read / used / set aside and the main reasons."""
    table = Table(title="Input tables", title_justify="left")
    for column in ("table", "rows read", "rows used", "set aside", "main reasons"):
        table.add_column(column, justify="right" if column.startswith(("rows", "set")) else "left")
    for row in summary.itertuples(index=False):
        table.add_row(
            str(row.table),
            f"{row.rows_read:,}",
            f"{row.rows_used:,}",
            f"{row.rows_set_aside:,}",
            str(row.reasons or "—"),
        )
    console.print(table)
