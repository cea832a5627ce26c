"""Conditional formats: data bars on amounts, red / amber / green on statuses and on KPIs with thresholds.

Thresholds come from ``params.report.rag`` (the same ones the scorecard's status uses) and
the unbalanced-rhythm share from ``params.kpi``; colours from the theme.  Rules are
formulas that skip blank cells, so a missing value is never painted red.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from kamreport.params import Rag, RunParams
from kamreport.report.excel.styles import RAG, Styles
from kamreport.report.excel.writer import Placed
from kamreport.report.labels import value_label
from kamreport.report.sections import Table

# Amount columns drawn as data bars (where a table has at least two rows).
DATA_BAR_COLUMNS = ("revenue", "revenue_t4q", "weighted_amount", "contribution")
# Columns holding a status word, and the colour of each word.
STATUS_COLOURS: dict[str, dict[str, str]] = {
    "rag": {"green": "green", "amber": "amber", "red": "red"},
    "status": {"excellent": "green", "good": "amber", "warning": "red"},
}
EVEN_WEEK_SHARE = 0.25  # a month sold evenly: a quarter of it each week
WEEK_TABLES = ("week_of_month",)


def apply_conditional_formats(
    ws: Worksheet, table: Table, placed: Placed, styles: Styles, params: RunParams, bars: bool = True
) -> None:
    """Every conditional format ``table`` gets where it was written.

    Parameters
    ----------
    ws
        The worksheet holding the table.
    table
        The section table (its column ids and units choose the rules).
    placed
        Where the table was written.
    styles
        The workbook's formats (RAG fills, bar colour).
    params
        The run's params: RAG thresholds (with the table's own) and the unbalanced-rhythm share.
    bars
        Whether amounts get data bars (not where a chart already draws the table).
    """
    if placed.n_rows == 0:
        return
    thresholds = table.rag_thresholds(params)
    for column in placed.columns:
        unit = table.units.get(column, "text")
        if column in STATUS_COLOURS and unit == "label":
            _status(ws, placed, column, styles)
        elif column in thresholds and not unit.startswith("@"):
            _thresholds(ws, placed, column, thresholds[column], styles)
        elif bars and column in DATA_BAR_COLUMNS and unit == "amount" and placed.n_rows > 1:
            _data_bar(ws, placed, column, styles)
        elif table.id in WEEK_TABLES and unit == "share":
            _week_scale(ws, placed, column, styles, params.kpi.unbalanced_last_week_share)


def _span(placed: Placed, column: str) -> tuple[int, int, int, int]:
    col = placed.col(column)
    return placed.first_row, col, placed.body_last_row, col


def _status(ws: Worksheet, placed: Placed, column: str, styles: Styles) -> None:
    for word, colour in STATUS_COLOURS[column].items():
        label = value_label(word, styles.lang).replace('"', '""')
        ws.conditional_format(
            *_span(placed, column),
            {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": styles.rag(colour)},
        )


def _thresholds(ws: Worksheet, placed: Placed, column: str, rag: Rag, styles: Styles) -> None:
    first_row, col, last_row, _ = _span(placed, column)
    cell = xl_rowcol_to_cell(first_row, col)
    at_least = "<=" if rag.lower_is_better else ">="
    below = ">" if rag.lower_is_better else "<"
    conditions = {
        "green": f"{cell}{at_least}{rag.green}",
        "amber": f"{cell}{at_least}{rag.amber},{cell}{below}{rag.green}",
        "red": f"{cell}{below}{rag.amber}",
    }
    for status in RAG:
        ws.conditional_format(
            first_row,
            col,
            last_row,
            col,
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER({cell}),{conditions[status]})",
                "format": styles.rag(status),
            },
        )


def _data_bar(ws: Worksheet, placed: Placed, column: str, styles: Styles) -> None:
    colour = styles.theme.colours["data_bar"]
    ws.conditional_format(*_span(placed, column), {"type": "data_bar", "bar_color": colour, "bar_solid": True})


def _week_scale(ws: Worksheet, placed: Placed, column: str, styles: Styles, unbalanced: float) -> None:
    c = styles.theme.colours
    ws.conditional_format(
        *_span(placed, column),
        {
            "type": "3_color_scale",
            "min_type": "num",
            "min_value": 0,
            "min_color": c["scale_low"],
            "mid_type": "num",
            "mid_value": EVEN_WEEK_SHARE,
            "mid_color": c["scale_mid"],
            "max_type": "num",
            "max_value": max(unbalanced, EVEN_WEEK_SHARE + 0.01),
            "max_color": c["scale_high"],
        },
    )
