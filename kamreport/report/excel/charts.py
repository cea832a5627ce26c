"""The native Excel charts, each drawn from the cells of the table it illustrates.

A table's declaration (:class:`~kamreport.report.spec.TableSpec` ``excel_chart``) names its chart.

Charts reference the written cells, so they stay live when a manager filters or edits a
value.  The margin bridge (a waterfall) is a stacked column chart over an invisible base;
its four helper series sit in hidden columns to the right of the sheet's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kamreport.report.excel.styles import Styles
from kamreport.report.excel.writer import Placed
from kamreport.report.labels import column_label, t
from kamreport.report.sections import Table


@dataclass
class ChartContext:
    """What a chart builder needs besides its table."""

    workbook: Workbook
    worksheet: Worksheet
    styles: Styles
    spare_col: int  # first column right of every table: room for hidden helper series


def _text_font(styles: Styles, **extra: Any) -> dict[str, Any]:
    base = {"name": styles.font.name, "size": styles.theme.sizes["chart_text"], "color": styles.theme.colours["text"]}
    return base | extra


def _finish(
    chart: Chart,
    styles: Styles,
    title: str,
    value_format: str,
    horizontal: bool = False,
    legend: bool = True,
    category_title: str | None = None,
    value_range: dict[str, Any] | None = None,
) -> Chart:
    """Title, fonts, gridlines, legend and size shared by every chart (``value_range``: the value axis's min, max …)."""
    font = _text_font(styles)
    grid = {"visible": True, "line": {"color": styles.theme.colours["border"]}}
    value_axis = {"num_font": font, "num_format": value_format, "major_gridlines": grid, "line": {"none": True}}
    value_axis |= value_range or {}
    category_axis: dict[str, Any] = {"num_font": font, "line": {"color": styles.theme.colours["muted"]}}
    if category_title:
        category_axis |= {"name": category_title, "name_font": font}
    if horizontal:  # a bar chart's categories run down its y axis, first at the top, values below
        chart.set_x_axis(value_axis)
        chart.set_y_axis(category_axis | {"reverse": True, "crossing": "max"})
    else:
        chart.set_x_axis(category_axis)
        chart.set_y_axis(value_axis)
    chart.set_title({"name": title, "name_font": _text_font(styles, size=styles.theme.sizes["table_title"], bold=True)})
    chart.set_legend({"position": "bottom", "font": font} if legend else {"none": True})
    chart.set_chartarea({"border": {"none": True}})
    layout = styles.theme.layout
    chart.set_size({"width": layout.chart_width, "height": layout.chart_height})
    return chart


def _series(placed: Placed, column: str, colour: str, **extra: Any) -> dict[str, Any]:
    """A series over a table column, named by its header cell; the first column gives the categories."""
    return {
        "name": [placed.sheet, placed.header_row, placed.col(column)],
        "categories": placed.cells(placed.columns[0]),
        "values": placed.cells(column),
        "fill": {"color": colour},
        "border": {"none": True},
    } | extra


def _line(colour: str) -> dict[str, Any]:
    marker = {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}}
    return {"line": {"color": colour, "width": 2.25}, "marker": marker}


def revenue_vs_target(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Revenue by month as columns with the target as a line."""
    palette, styles = ctx.styles.theme.palette, ctx.styles
    chart = ctx.workbook.add_chart({"type": "column"})
    chart.add_series(_series(placed, "revenue", palette[0], gap=60))
    target = ctx.workbook.add_chart({"type": "line"})
    line = _series(placed, "revenue_target", palette[1])
    del line["fill"], line["border"]
    target.add_series(line | _line(palette[1]))
    chart.combine(target)
    return _finish(chart, styles, t("chart.revenue_trend", styles.lang), styles.number_format("amount"))


def position_matrix(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Accounts by position last quarter (columns), stacked by where they are now."""
    styles = ctx.styles
    chart = ctx.workbook.add_chart({"type": "column", "subtype": "stacked"})
    for column in placed.columns[1:]:
        chart.add_series(_series(placed, column, styles.theme.positions.get(column, styles.theme.palette[-1]), gap=60))
    before = column_label(placed.columns[0], styles.lang)
    title = t("chart.movement", styles.lang)
    return _finish(chart, styles, title, styles.number_format("count"), category_title=before)


def funnel_vs_benchmark(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Open amount per funnel stage against the stage's benchmark."""
    palette, styles = ctx.styles.theme.palette, ctx.styles
    chart = ctx.workbook.add_chart({"type": "bar"})
    category = "stage_name" if "stage_name" in placed.columns else placed.columns[0]
    for column, colour in (("amount", palette[0]), ("benchmark", palette[5])):
        chart.add_series(_series(placed, column, colour, gap=40) | {"categories": placed.cells(category)})
    return _finish(chart, styles, t("chart.pipeline", styles.lang), styles.number_format("amount"), horizontal=True)


def visits_by_rep(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Planned and completed visits per rep."""
    palette, styles = ctx.styles.theme.palette, ctx.styles
    chart = ctx.workbook.add_chart({"type": "column"})
    for column, colour in (("planned", palette[5]), ("completed", palette[0])):
        chart.add_series(_series(placed, column, colour, gap=60))
    return _finish(chart, styles, t("chart.execution", styles.lang), styles.number_format("count"))


def fill_rate_trend(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Fill rate and on-time-in-full rate by month."""
    palette, styles = ctx.styles.theme.palette, ctx.styles
    chart = ctx.workbook.add_chart({"type": "line"})
    for column, colour in (("fill_rate", palette[0]), ("otif_rate", palette[1])):
        series = _series(placed, column, colour)
        del series["fill"], series["border"]
        chart.add_series(series | _line(colour))
    return _finish(chart, styles, t("chart.fill_rate_workbook", styles.lang), "0%")


def bridge_bars(values: pd.Series, kinds: pd.Series) -> pd.DataFrame:
    """The stacked segments of a waterfall: invisible bases and visible bars, above and below zero.

    Each step spans from the running total before it to the one after (a total spans from
    zero); the part above zero stacks on the positive base, the part below on the negative.
    """
    rows = []
    running = 0.0
    for value, kind in zip(values.tolist(), kinds.tolist(), strict=True):
        if value != value:  # a missing step (e.g. no trade spend): no bar, total unchanged
            rows.append((0.0, 0.0, 0.0, 0.0))
            continue
        start, running = (0.0, value) if kind == "total" else (running, running + value)
        low, high = min(start, running), max(start, running)
        rows.append((max(low, 0.0), min(high, 0.0), max(high, 0.0) - max(low, 0.0), min(low, 0.0) - min(high, 0.0)))
    return pd.DataFrame(rows, columns=["base_up", "base_down", "bar_up", "bar_down"])


def margin_bridge(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """Revenue → cost → gross profit → trade spend → contribution as a waterfall."""
    styles = ctx.styles
    frame = table.frame.reset_index(drop=True)
    bars = bridge_bars(frame["value"], frame["kind"])
    colours = [
        styles.theme.bridge["total" if kind == "total" else "increase" if value > 0 else "decrease"]
        for value, kind in zip(frame["value"].fillna(0).tolist(), frame["kind"].tolist(), strict=True)
    ]
    chart = ctx.workbook.add_chart({"type": "column", "subtype": "stacked"})
    for offset, column in enumerate(bars.columns):
        col = ctx.spare_col + offset
        ctx.worksheet.write_column(placed.first_row, col, bars[column].tolist())
        series: dict[str, Any] = {
            "categories": placed.cells(placed.columns[0], totals=True),
            "values": [placed.sheet, placed.first_row, col, placed.last_row, col],
            "gap": 50,
        }
        if column.startswith("base"):
            series |= {"fill": {"none": True}, "border": {"none": True}}
        else:
            series["points"] = [{"fill": {"color": c}, "border": {"none": True}} for c in colours]
        chart.add_series(series)
    ctx.worksheet.set_column(ctx.spare_col, ctx.spare_col + len(bars.columns) - 1, None, None, {"hidden": True})
    chart.show_hidden_data()
    return _finish(chart, styles, t("chart.profit", styles.lang), styles.number_format("amount"), legend=False)


def chart_for(ctx: ChartContext, table: Table, placed: Placed) -> Chart | None:
    """The native chart a table's declaration links to it, or None when it has none (or no rows to draw).

    Parameters
    ----------
    ctx
        Workbook, worksheet, styles and the free column for helper series.
    table
        The table the chart illustrates (its ``excel_chart`` comes from its
        :class:`~kamreport.report.spec.TableSpec`).
    placed
        Where the table was written (the chart's ranges point there).
    """
    if table.excel_chart is None or placed.n_rows == 0:
        return None
    chart: Chart = table.excel_chart(ctx, table, placed)
    return chart


def promotion_calendar(ctx: ChartContext, table: Table, placed: Placed) -> Chart:
    """The next three months as a calendar: a bar per promotion from its start over its days (a Gantt chart).

    A stacked bar chart whose first series — the start date — is invisible, so the visible bar
    begins on the start and is as long as the promotion lasts; the date axis spans the three months.
    """
    styles = ctx.styles
    chart = ctx.workbook.add_chart({"type": "bar", "subtype": "stacked"})
    categories = placed.cells("promo_id")
    chart.add_series({"values": placed.cells("start"), "categories": categories, "fill": {"none": True},
                      "border": {"none": True}, "gap": 40})  # fmt: skip
    chart.add_series(_series(placed, "days", styles.theme.palette[0], gap=40) | {"categories": categories})
    months = table.frame.attrs.get("months", [])
    excel_day = pd.Timestamp("1899-12-30")
    bounds: dict[str, Any] = {"major_unit": 30, "date_axis": False}
    if months:
        first = pd.Timestamp(f"{months[0]}-01")
        last = pd.Timestamp(f"{months[-1]}-01") + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)
        bounds |= {"min": (first - excel_day).days, "max": (last - excel_day).days}
    title = t("chart.promotion_calendar", styles.lang)
    return _finish(chart, styles, title, "yyyy-mm-dd", horizontal=True, legend=False, value_range=bounds)
