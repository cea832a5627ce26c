"""The charts of the HTML reports and account plans (seaborn / matplotlib), one function each.

Every function takes a :class:`~kamreport.report.views.View`, its chapter's tables (by id)
and the :class:`~kamreport.report.theme.Theme`, and returns a matplotlib ``Figure`` built
with the object API (no pyplot state, nothing to close).  A chart draws the rows of its
chapter's tables — the numbers it shows are the numbers the tables show — in the theme's
colours.  :func:`use_style` sets the theme's fonts, which fall back to Noto Sans CJK so
Chinese labels render, and turns off mathtext so an account called ``$x$`` is drawn as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from kamreport.report.format import compact_amount
from kamreport.report.labels import column_label, kpi_label, run_text, stage_label, t, value_label
from kamreport.report.sections.base import Table, rag
from kamreport.report.theme import Theme
from kamreport.report.views import View

# matplotlib and seaborn are imported where a chart is drawn: the index page of a run (and so
# the data pass, `--only data`) reads the chapters, which name these functions, but draws none
if TYPE_CHECKING:
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

Tables = Mapping[str, Table]
WIDE, SQUARE = (8.0, 3.4), (6.0, 4.2)


def use_style(theme: Theme) -> None:
    """The one chart style in the theme's fonts (passed through seaborn's ``rc``, which would otherwise reset them)."""
    import seaborn as sns

    sns.set_theme(
        context="notebook",
        style="whitegrid",
        font_scale=0.85,
        rc={
            "font.family": list(theme.chart_fonts),
            "axes.unicode_minus": False,
            "text.parse_math": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
        },
    )


def _figure(size: tuple[float, float] = WIDE) -> tuple[Figure, mpl.axes.Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _amounts(ax: mpl.axes.Axes, view: View, axis: str = "y") -> None:
    """Amount ticks with the currency, short (``¥2.5M``; in Chinese ``¥250万``)."""
    currency, lang = view.params.report.currency, view.lang
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: compact_amount(v, currency, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _percent() -> PercentFormatter:
    """Ticks of shares as percentages (1.0 = 100 %)."""
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0)


def _title(ax: mpl.axes.Axes, view: View, key: str) -> None:
    """The chart's title: what it shows and what to look for (``chart.<name>``)."""
    ax.set_title(run_text(t(key, view.lang), view.params), loc="left", wrap=True)


def _legend_below(fig: Figure, ax: mpl.axes.Axes, columns: int = 4) -> None:
    """The legend under the plot, outside it: it never covers data."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(columns, len(handles)), frameon=False)


def revenue_vs_target(view: View, tables: Tables, theme: Theme) -> Figure:
    """Monthly revenue as columns, the target as a line, over the last four quarters."""
    data = tables["revenue_by_month"].frame
    fig, ax = _figure()
    x = np.arange(len(data))
    ax.bar(x, data["revenue"], color=theme.palette[0], label=t("revenue_bar", view.lang))
    if data["revenue_target"].notna().any():
        ax.plot(x, data["revenue_target"], color=theme.palette[1], marker="o", lw=2, label=t("target_line", view.lang))
    ax.set_xticks(x, data["month"], rotation=45, ha="right")
    _amounts(ax, view)
    _title(ax, view, "chart.revenue_trend")
    _legend_below(fig, ax)
    return fig


def share_trend(view: View, tables: Tables, theme: Theme) -> Figure:
    """Share of wallet by quarter, each point coloured by the scorecard's rule (its change on a year before)."""
    trend = view.trend(["share_of_wallet", "share_change_pp"]).reset_index()
    thresholds = view.params.report.rag.get("share_change_pp")
    fig, ax = _figure()
    ax.plot(trend["period"], trend["share_of_wallet"], color=theme.palette[0], lw=2, zorder=2)
    status = [rag(v, thresholds, "pp") for v in trend["share_change_pp"]]
    fills = {"green": "rag_green_text", "amber": "rag_amber_text", "red": "rag_red_text"}
    for state, colour in fills.items():
        rows = [i for i, s in enumerate(status) if s == state]
        if rows:
            ax.scatter(
                trend["period"].iloc[rows],
                trend["share_of_wallet"].iloc[rows],
                s=60,
                color=theme.colours[colour],
                zorder=3,
                label=value_label(state, view.lang),
            )
    top = float(np.nanmax(trend["share_of_wallet"].to_numpy(dtype=float), initial=0))
    ax.set_ylim(0, max(0.1, min(1.0, top * 1.25)))
    ax.yaxis.set_major_formatter(_percent())
    _title(ax, view, "chart.share_trend")
    _legend_below(fig, ax)
    return fig


def position_scatter(view: View, tables: Tables, theme: Theme) -> Figure:
    """Each account's share of wallet against its monthly potential, coloured by position."""
    import seaborn as sns

    plan = view.accounts[view.accounts["share_of_wallet"].notna()]
    plan = plan[plan["potential_monthly"].astype(float) > 0]
    data = {
        "potential": plan["potential_monthly"].astype(float).to_numpy(),
        "share_of_wallet": plan["share_of_wallet"].to_numpy(),
        "label": [value_label(p, view.lang) for p in plan["position"]],
    }
    fig, ax = _figure(SQUARE)
    palette = {value_label(p, view.lang): c for p, c in theme.positions.items()}
    sns.scatterplot(
        data=data, x="potential", y="share_of_wallet", hue="label", palette=palette, ax=ax, s=28, linewidth=0
    )
    positions = view.params.planning.positions
    for level in (positions.defend_share, positions.maintain_share):
        ax.axhline(level, color=theme.colours["muted"], ls="--", lw=1)
    ax.set_xscale("log")
    _amounts(ax, view, "x")
    ax.yaxis.set_major_formatter(_percent())
    ax.set_xlabel(column_label("potential_monthly", view.lang))
    ax.set_ylabel(kpi_label("share_of_wallet", view.lang))
    _title(ax, view, "chart.position_scatter")
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    _legend_below(fig, ax)
    return fig


def pareto(view: View, tables: Tables, theme: Theme) -> Figure:
    """Cumulative share of revenue against accounts ranked by revenue (the 5 % / 20 % picture)."""
    revenue = view.accounts["revenue_t4q"].astype(float)
    revenue = revenue[revenue > 0].sort_values(ascending=False)
    fig, ax = _figure()
    if len(revenue):
        # the curve's own geometry: each point's place on the two axes (the figures are in the Accounts table)
        cumulative = revenue.cumsum() / revenue.sum()
        rank = np.arange(1, len(revenue) + 1) / len(revenue)
        ax.plot(rank, cumulative.to_numpy(), color=theme.palette[0], lw=2)
        tiers = view.params.planning.tiers
        for level in (tiers.a_cum_share, tiers.b_cum_share):
            ax.axhline(level, color=theme.colours["muted"], ls="--", lw=1)
    ax.xaxis.set_major_formatter(_percent())
    ax.yaxis.set_major_formatter(_percent())
    ax.set_xlabel(t("accounts_ranked", view.lang))
    ax.set_ylabel(t("cumulative_share", view.lang))
    _title(ax, view, "chart.pareto")
    return fig


def funnel_vs_benchmark(view: View, tables: Tables, theme: Theme) -> Figure:
    """Open amount per funnel stage, coloured by health, with each stage's benchmark marked."""
    funnel = tables["funnel"].frame
    fig, ax = _figure()
    y = np.arange(len(funnel))[::-1]
    colours = [theme.status.get(str(s), theme.colours["muted"]) for s in funnel["status"]]
    ax.barh(y, funnel["amount"], color=colours)
    ax.scatter(
        funnel["benchmark"],
        y,
        marker="|",
        s=400,
        color=theme.colours["text"],
        zorder=3,
        label=t("benchmark_marker", view.lang),
    )
    ax.set_yticks(y, [stage_label(s, view.lang) for s in funnel["stage"]])
    _amounts(ax, view, "x")
    _title(ax, view, "chart.pipeline")
    _legend_below(fig, ax)
    return fig


def visits_by_rep(view: View, tables: Tables, theme: Theme) -> Figure:
    """Planned and completed visits per rep this quarter (the 20 busiest)."""
    reps = tables["by_rep"].frame.head(20)
    fig, ax = _figure()
    x = np.arange(len(reps))
    muted, main = theme.colours["muted"], theme.palette[0]
    ax.bar(x - 0.2, reps["planned"], width=0.4, color=muted, label=column_label("planned", view.lang))
    ax.bar(x + 0.2, reps["completed"], width=0.4, color=main, label=column_label("completed", view.lang))
    ax.set_xticks(x, reps["rep"], rotation=30, ha="right")
    _title(ax, view, "chart.execution")
    _legend_below(fig, ax)
    return fig


def fill_rate_trend(view: View, tables: Tables, theme: Theme) -> Figure:
    """Fill rate and on-time-in-full by month."""
    data = tables["by_month"].frame
    fig, ax = _figure()
    fill, otif = kpi_label("fill_rate", view.lang), kpi_label("otif_rate", view.lang)
    ax.plot(data["month"], data["fill_rate"], marker="o", color=theme.palette[0], lw=2, label=fill)
    ax.plot(data["month"], data["otif_rate"], marker="s", color=theme.palette[1], lw=1.5, label=otif)
    rag = view.params.report.rag.get("fill_rate")
    if rag:
        ax.axhline(rag.amber, color=theme.status["warning"], ls="--", lw=1)
    ax.yaxis.set_major_formatter(_percent())
    ax.tick_params(axis="x", rotation=45)
    _title(ax, view, "chart.fill_rate")
    _legend_below(fig, ax)
    return fig


def margin_bridge(view: View, tables: Tables, theme: Theme) -> Figure:
    """Waterfall from revenue to gross profit to contribution."""
    steps = tables["bridge"].frame
    fig, ax = _figure()
    # where each bar of the waterfall stands: the chart's geometry, not a figure of the report
    running, bottoms, heights, colours = 0.0, [], [], []
    for value, kind in zip(steps["value"].fillna(0.0), steps["kind"], strict=True):
        if kind == "total":
            bottoms.append(0.0)
            heights.append(value)
            running = value
            colours.append(theme.bridge["total"])
        else:
            bottoms.append(running + value)
            heights.append(-value)
            running += value
            colours.append(theme.bridge["decrease" if value <= 0 else "increase"])
    x = np.arange(len(steps))
    ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6)
    currency, lang = view.params.report.currency, view.lang
    top = max((b + h for b, h in zip(bottoms, heights, strict=True)), default=0.0)
    for xi, (bottom, height, kind) in enumerate(zip(bottoms, heights, steps["kind"], strict=True)):
        # each label above its own bar, in its own column: labels never meet
        ax.annotate(
            compact_amount(height if kind == "total" else -height, currency, lang),
            (xi, max(bottom, bottom + height)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(x, [_wrap(str(step), 12) for step in steps["step"]])
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    _amounts(ax, view)
    _title(ax, view, "chart.profit")
    return fig


def _wrap(text: str, width: int) -> str:
    """A tick label on two lines when long (CJK labels are short enough as they are)."""
    if len(text) <= width or " " not in text:
        return text
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def week_heatmap(view: View, tables: Tables, theme: Theme) -> Figure:
    """Share of each month's revenue by week of month (week 4 from ``kpi.last_week_first_day``)."""
    import seaborn as sns

    weeks = ["W1", "W2", "W3", "W4"]
    data = tables["week_of_month"].frame.set_index("month")[weeks]
    data.columns = [column_label(week, view.lang) for week in weeks]
    fig, ax = _figure((6.0, 4.6))
    sns.heatmap(data.astype(float), annot=True, fmt=".0%", cmap="RdYlGn_r", vmin=0.1, vmax=0.5, cbar=False, ax=ax)
    ax.set_xlabel(column_label("week_of_month", view.lang))
    ax.set_ylabel("")
    _title(ax, view, "chart.rhythm")
    return fig


TREND_RATES: tuple[str, ...] = ("share_of_wallet", "frequency_attainment", "gross_margin", "fill_rate")
PLAN_DPI = 80  # a plan chart is half a page wide; rendering time grows with the pixels


def _plan_figure() -> tuple[Figure, mpl.axes.Axes]:
    """A small chart with fixed margins: an account plan draws fast (no layout solver).

    The title sits above the plot, the legend below it (under the quarter labels): neither
    covers the other or the data.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 3.2), dpi=PLAN_DPI)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.27, top=0.86)
    return fig, fig.add_subplot()


def _plan_legend(fig: Figure) -> None:
    fig.legend(loc="lower center", ncols=4, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0))


def _plan_title(ax: mpl.axes.Axes, view: View, key: str) -> None:
    """A plan chart's title, fixed just above its axes.

    ``y=1.0`` is where matplotlib's automatic placement puts it anyway: nothing of a plan chart
    stands above its axes (ticks below, no offset text: amounts, percentages and months are
    formatted).  Fixing it spares the placement's measuring of every tick label at each draw,
    about a third of a plan chart's drawing time, for the same pixels.
    """
    ax.set_title(run_text(t(key, view.lang), view.params), pad=8, y=1.0)


def revenue_trend(view: View, tables: Tables, theme: Theme) -> Figure:
    """Revenue by quarter against target over the trend quarters."""
    trend = tables["trend"].frame
    fig, ax = _plan_figure()
    ax.bar(trend["period"], trend["revenue"], color=theme.palette[0], label=kpi_label("revenue", view.lang))
    if "revenue_target" in trend and trend["revenue_target"].notna().any():
        ax.plot(
            trend["period"],
            trend["revenue_target"],
            color=theme.palette[1],
            marker="o",
            lw=1.8,
            label=t("target_line", view.lang),
        )
    _amounts(ax, view)
    ax.tick_params(axis="x", labelsize=8)
    _plan_title(ax, view, "chart.plan_revenue")
    _plan_legend(fig)
    return fig


def rates_trend(view: View, tables: Tables, theme: Theme) -> Figure:
    """Share of wallet, visit frequency, gross margin and fill rate over the trend quarters, on one axis."""
    trend = tables["trend"].frame
    fig, ax = _plan_figure()
    for kpi, colour in zip(TREND_RATES, theme.palette, strict=False):
        if kpi in trend and trend[kpi].notna().any():
            ax.plot(trend["period"], trend[kpi], marker="o", lw=1.8, color=colour, label=kpi_label(kpi, view.lang))
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylim(0, 1.05)
    ax.tick_params(axis="x", labelsize=8)
    _plan_title(ax, view, "chart.plan_rates")
    _plan_legend(fig)
    return fig


def promotion_calendar(view: View, tables: Tables, theme: Theme) -> Figure:
    """The next three months as a calendar: one bar per promotion from its start to its end, coloured by status."""
    table = tables.get("calendar")
    rows = table.frame if table is not None else None
    fig, ax = _plan_figure()
    first = np.datetime64(view.period.end.isoformat(), "M") + 1
    edges = (first + np.arange(4)).astype("datetime64[D]")
    # days since the first month's first day: the month edges and the bars share that axis
    origin = edges[0]
    days = (edges - origin).astype(np.int64).astype(float)
    if rows is not None and len(rows):
        shown = rows.head(20)
        y = np.arange(len(shown))[::-1]
        start = (shown["start"].to_numpy(dtype="datetime64[D]") - origin).astype(np.int64).astype(float)
        end = (shown["end"].to_numpy(dtype="datetime64[D]") + 1 - origin).astype(np.int64).astype(float)
        status = [str(s) for s in shown["status_code"]]
        colours = {"approved": theme.palette[0], "planned": theme.palette[1], "cancelled": theme.colours["muted"]}
        for label in ("approved", "planned", "cancelled"):
            rows_of = [i for i, s in enumerate(status) if s == label]
            if rows_of:
                ax.barh(
                    y[rows_of],
                    end[rows_of] - start[rows_of],
                    left=start[rows_of],
                    color=colours[label],
                    height=0.6,
                    label=value_label(label, view.lang),
                )
        ax.set_yticks(y, [str(p) for p in shown["promo_id"]], fontsize=7)
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, t("empty.promotion_calendar", view.lang), ha="center", va="center", transform=ax.transAxes)
    for edge in days:
        ax.axvline(edge, color=theme.colours["border"], lw=1)
    ax.set_xlim(days[0], days[-1])
    ax.set_xticks((days[:-1] + days[1:]) / 2, [str(month) for month in first + np.arange(3)])
    ax.tick_params(axis="x", labelsize=8)
    _plan_title(ax, view, "chart.promotion_calendar")
    if rows is not None and len(rows):
        _plan_legend(fig)
    return fig


def value_creation(view: View, tables: Tables, theme: Theme) -> Figure:
    """Value creation per account manager (per region in the company report), the total marked."""
    table = tables.get("value")
    fig, ax = _figure()
    if table is not None:
        rows = table.frame.iloc[:-1]  # the last row is the view's total
        member = rows.columns[0]
        ax.barh(np.arange(len(rows))[::-1], rows["value_creation"].fillna(0.0), color=theme.palette[0])
        ax.set_yticks(np.arange(len(rows))[::-1], [str(k) for k in rows[member]])
        total = table.frame["value_creation"].iloc[-1]
        if np.isfinite(total):
            ax.axvline(total, color=theme.palette[1], ls="--", lw=1.5, label=t("total", view.lang))
            _legend_below(fig, ax)
    _amounts(ax, view, "x")
    _title(ax, view, "chart.value_creation")
    return fig


def forecast_trend(view: View, tables: Tables, theme: Theme) -> Figure:
    """Forecast accuracy and bias of the view over the trend quarters (the account-level commits)."""
    trend = view.trend().reindex(columns=["forecast_accuracy", "forecast_bias"])
    fig, ax = _figure()
    ax.axhline(0.0, color=theme.colours["border"], lw=1)
    periods = [str(p) for p in trend.index]
    for kpi, colour in zip(trend.columns, theme.palette, strict=False):
        if trend[kpi].notna().any():
            ax.plot(periods, trend[kpi], marker="o", lw=1.8, color=colour, label=kpi_label(kpi, view.lang))
    if not trend.notna().any().any():  # no forecasts: say which table would draw it
        ax.text(0.5, 0.5, t("absent", view.lang).format(table="forecasts"), ha="center", transform=ax.transAxes)
    ax.yaxis.set_major_formatter(_percent())
    ax.tick_params(axis="x", labelsize=8)
    _title(ax, view, "chart.forecast_trend")
    _legend_below(fig, ax)
    return fig
