"""What a run prints: the per-table summary and progress with n/N and ETA."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the command line imports plain() before the data stack
    import pandas as pd


def plain(text: object) -> Text:
    """Text for the console shown as written: never read as rich markup (``[/x]``) or emoji codes.

    Every message that carries a path, a column header, an id or a name goes through it.
    """
    return Text(str(text))


def print_summary(console: Console, summary: pd.DataFrame) -> None:
    """The per-table summary: rows read / used / set aside and the main reasons."""
    table = Table(title="Input tables", title_justify="left")
    for column in ("table", "rows read", "rows used", "set aside", "main reasons"):
        table.add_column(column, justify="right" if column.startswith(("rows", "set")) else "left")
    for row in summary.itertuples(index=False):
        table.add_row(
            plain(row.table),
            f"{row.rows_read:,}",
            f"{row.rows_used:,}",
            f"{row.rows_set_aside:,}",
            plain(row.reasons or "—"),
        )
    console.print(table)
