"""HTML blocks the report notebooks display: the title block, the contents and each section.

Every string from the data goes through :func:`html.escape` (table cells through
:func:`html_text`), so an account called ``<script>`` is shown, never run.
Charts are embedded as base64 PNG: the report opens from an e-mail attachment offline.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kamreport.params import Language, Rag
from kamreport.report.format import NotMeaningful, as_float, format_value, is_missing, shown_number
from kamreport.report.labels import column_label, document_title, t
from kamreport.report.links import back_links, plan_links, report_folder
from kamreport.report.raster import shared_canvas
from kamreport.report.sections import Section, Table
from kamreport.report.sections.base import rag
from kamreport.report.views import View

if TYPE_CHECKING:  # drawing is the charts' business: writing HTML needs no matplotlib
    from matplotlib.figure import Figure

_RAG_COLUMNS = {"rag", "status"}


# zlib level 3 instead of Pillow's 6: the same pixels, a sixth less time per chart, about 5 % more bytes
PNG_OPTIONS = {"compress_level": 3}


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, at the figure's own resolution.

    Drawn on a renderer shared by every figure of the same size, which draws each string
    and glyph once (:mod:`kamreport.report.raster`): the same pixels as matplotlib's own.
    """
    shared_canvas(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None}, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()


def figure_html(fig: Figure, alt: str = "") -> str:
    """An ``<img>`` carrying the figure inline."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def table_html(table: Table, view: View, links: Mapping[str, str] | None = None, heading: bool = True) -> str:
    """A section table as HTML: labelled headers, values formatted by unit, statuses and thresholds coloured.

    The columns are those a printed page shows (analysts' columns left out); ``links``
    (account_id → href) turns account names into links to their plans.  Text wraps: nothing
    is cut with an ellipsis.  ``heading`` False leaves the title out (it repeats the chapter's).
    """
    frame = table.frame  # read by position: its index does not matter
    columns = table.printed_columns
    lang = view.lang
    notes = [table.note] if table.note else []
    if table.html_limit is not None and len(frame) > table.html_limit:
        limit, total = table.html_limit, len(frame)
        frame = frame.head(limit)
        notes.append(t("note.html_top", lang).format(shown=limit, total=total, more=total - limit))
    currency = view.params.report.currency
    if frame.empty:
        body = f'<p class="empty">{html.escape(table.empty or t("none", lang))}</p>'
    elif len(columns) == 1 and table.unit(columns[0]) == "text":  # sentences (actions, what changed): a list
        items = "".join(f"<li>{html.escape(str(v))}</li>" for v in frame[columns[0]].dropna())
        body = f'<ul class="sentences">{items}</ul>'
    else:
        labels = [column_label(c, lang) for c in columns]
        units = {c: table.row_units(c) for c in columns}
        values = {c: frame[c].tolist() for c in columns}
        texts = {
            label: [format_value(v, units[c][i], lang, currency) for i, v in enumerate(values[c])]
            for label, c in zip(labels, columns, strict=True)
        }
        shown = {label: [html_text(v) for v in cells] for label, cells in texts.items()}
        rag_params = table.rag_thresholds(view.params)
        classes = {
            label: [cell_class(c, v, units[c][i], rag_params) for i, v in enumerate(values[c])]
            for label, c in zip(labels, columns, strict=True)
        }
        if links and "account_name" in columns and "account_id" in frame:
            hrefs = [links.get(str(a)) for a in frame["account_id"]]
            label = labels[columns.index("account_name")]
            shown[label] = [
                f'<a href="{html.escape(h)}">{html.escape(n)}</a>' if h else html.escape(n)
                for n, h in zip(texts[label], hrefs, strict=True)
            ]
        body = html_table(table.id, shown, classes)
    note = "".join(f'<p class="note">{html.escape(text)}</p>' for text in notes)
    title = f"<h3>{html.escape(table.title)}</h3>" if heading else ""
    return f'<div class="table">{title}{body}{note}</div>'


def html_text(text: str) -> str:
    """``text`` escaped for HTML as the tables write it (``'`` and ``"`` as ``&#39;`` and ``&#34;``)."""
    return html.escape(text, quote=False).replace("'", "&#39;").replace('"', "&#34;")


def html_table(table_id: str, cells: Mapping[str, list[str]], classes: Mapping[str, list[str]]) -> str:
    """A ``<table class="kr">`` of ready HTML cells (column label → cells), each ``<td>`` with its classes.

    The markup pandas' ``Styler.to_html`` gives for such a table (index hidden, no cell ids,
    the table id ``T_<table_id>``: the same figures give the same page), written directly —
    the Styler's templates cost a plan about a tenth of a second.
    """
    head = "".join(
        f'      <th class="col_heading level0 col{j}" >{html_text(label)}</th>\n' for j, label in enumerate(cells)
    )
    columns = [list(zip(column, classes[label], strict=True)) for label, column in cells.items()]
    rows = "".join(
        "    <tr>\n"
        + "".join(
            f'      <td class="data row{i} col{j}{" " + css if css else ""}" >{value}</td>\n'
            for j, (value, css) in enumerate(row)
        )
        + "    </tr>\n"
        for i, row in enumerate(zip(*columns, strict=True))
    )
    return (
        f'<style type="text/css">\n</style>\n<table id="T_{table_id}" class="kr">\n  <thead>\n    <tr>\n{head}'
        f"    </tr>\n  </thead>\n  <tbody>\n{rows}  </tbody>\n</table>\n"
    )


def cell_class(column: str, value: object, unit: str, thresholds: Mapping[str, Rag] | None = None) -> str:
    """How a cell is styled: ``rag-<status>``, ``text``, ``num`` or ``num neg``.

    With ``thresholds`` (``report.rag``) a KPI column's cell gets its red / amber / green, as
    the workbook's conditional formats give it.
    """
    if column in _RAG_COLUMNS and isinstance(value, str):
        return f"rag-{value}"
    if unit in ("text", "label", "date"):
        return "text"
    if isinstance(value, NotMeaningful):
        return "num nm"
    classes = "num"
    if thresholds and column in thresholds and not is_missing(value):
        status = rag(as_float(value), thresholds[column], unit)
        if status:
            classes += f" rag-{status}"
    elif isinstance(value, int | float) and not is_missing(value) and shown_number(float(value), unit) < 0:
        classes += " neg"
    return classes


def section_html(section: Section, view: View, figures: Iterable[Figure] = ()) -> str:
    """One chapter: heading, the sentence that explains it, its tables and its charts (drawn now, as PNG).

    Tables of the right-hand column sit beside the others; a table that only feeds a chart
    is folded away under its title.  A one-page chapter (the Summary, a plan's first page)
    leads with its tables, the others with their charts.
    """
    parts = [f'<section id="{section.id}"><h2>{html.escape(section.title)}</h2>']
    parts.append(f'<p class="intro">{html.escape(section.intro)}</p>')
    if section.missing:
        parts.append(f'<p class="absent">{html.escape(section.missing)}</p>')
        parts.append("</section>")
        return "".join(parts)
    links = _plan_links(view) if any(table.link_plans for table in section.tables) else {}

    def tables(column: int) -> str:
        return "".join(
            table_html(table, view, links if table.link_plans else None, table.title != section.title)
            for table in section.tables
            if table.printed and table.column == column
        )

    left, right = tables(0), tables(1)
    body = f'<div class="columns"><div>{left}</div><aside>{right}</aside></div>' if right else left
    images = [figure_html(figure, section.title) for figure in figures]
    charts = f'<div class="charts">{"".join(images)}</div>' if images else ""
    folded = "".join(
        f"<details><summary>{html.escape(table.title)}</summary>{table_html(table, view)}</details>"
        for table in section.tables
        if not table.printed
    )
    parts.extend([body, charts] if section.one_page else [charts, body])
    parts.extend(f'<p class="absent">{html.escape(text)}</p>' for text in section.absent)
    parts.append(folded)
    parts.append("</section>")
    return "".join(parts)


def _plan_links(view: View) -> dict[str, str]:
    tree = view.run.layout()
    folder = report_folder(view, tree)
    return plan_links(view, tree, folder, "html") if folder is not None else {}


def title_block(view: View) -> str:
    """Title, scope, period, when the run was made and how recent its data is."""
    lang = view.lang
    data = view.run.data
    colon = "：" if lang == "zh" else ": "
    scope = f"{t('run.' + view.level, lang)}{colon}{view.name}"
    facts = [
        (t("run.period", lang), str(view.period)),
        (t("run.scope", lang), scope),
        (t("run.made", lang), data.computed_at),
        (t("run.as_of", lang), data.facts.as_of or ""),
    ]
    meta = "".join(f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>" for k, v in facts)
    company = html.escape(view.params.report.company_name)
    heading = html.escape(document_title(view.level, view.name, view.period, lang))
    back = "".join(
        f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for text, href in back_links(view, view.run.layout())
    )
    return (
        f'<header class="title"><nav class="back">{back}</nav><p class="company">{company}</p>'
        f"<h1>{heading}</h1><dl>{meta}</dl></header>"
    )


def contents(sections: Iterable[tuple[str, str]], lang: Language) -> str:
    """A table of contents linking (section id, title) pairs."""
    items = "".join(f'<li><a href="#{sid}">{html.escape(title)}</a></li>' for sid, title in sections)
    return f'<nav class="toc"><h2>{html.escape(t("run.contents", lang))}</h2><ol>{items}</ol></nav>'
