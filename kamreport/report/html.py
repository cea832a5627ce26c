"""HTML blocks the report notebooks display: the title block, the contents and each section.

Every string from the data goes through :func:`html.escape` (tables through pandas'
Styler with ``escape="html"``), so an account called ``<script>`` is shown, never run.
Charts are embedded as base64 PNG: the report opens from an e-mail attachment offline.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from kamreport.report.format import format_value
from kamreport.report.labels import Language, column_label, document_title, t
from kamreport.report.sections import Section, Table
from kamreport.report.views import View

_RAG_COLUMNS = {"rag", "status"}


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, at the figure's own resolution."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_html(fig: Figure, alt: str = "") -> str:
    """An ``<img>`` carrying the figure inline."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def table_html(table: Table, view: View) -> str:
    """A section table as HTML: labelled headers, values formatted by unit, RAG cells coloured."""
    frame = table.frame
    columns = table.shown
    currency = view.params.report.currency
    if frame.empty:
        body = f'<p class="empty">{html.escape(t("none", view.lang))}</p>'
    elif len(columns) == 1 and table.unit(columns[0]) == "text":  # sentences ("what changed"): a list, no header
        items = "".join(f"<li>{html.escape(str(v))}</li>" for v in frame[columns[0]])
        body = f'<ul class="sentences">{items}</ul>'
    else:
        shown = pd.DataFrame(
            {
                column_label(c, view.lang): [
                    format_value(v, table.unit(c, i), view.lang, currency) for i, v in enumerate(frame[c])
                ]
                for c in columns
            }
        )
        classes = pd.DataFrame(
            {
                column_label(c, view.lang): [cell_class(c, v, table.unit(c, i)) for i, v in enumerate(frame[c])]
                for c in columns
            }
        )
        # a fixed uuid: the same figures give the same page (Styler draws a random one by default)
        styler = Styler(shown, cell_ids=False, uuid=table.id).hide(axis="index").format(escape="html")
        styler = styler.format_index(escape="html", axis=1)
        body = styler.set_td_classes(classes).set_table_attributes('class="kr"').to_html()
    note = f'<p class="note">{html.escape(table.note)}</p>' if table.note else ""
    return f'<div class="table"><h3>{html.escape(table.title)}</h3>{body}{note}</div>'


def cell_class(column: str, value: object, unit: str) -> str:
    """How a cell is styled: ``rag-<status>``, ``text``, ``num`` or ``num neg``."""
    if column in _RAG_COLUMNS and isinstance(value, str):
        return f"rag-{value}"
    if unit in ("text", "label", "date"):
        return "text"
    if isinstance(value, int | float) and value < 0:
        return "num neg"
    return "num"


def section_html(section: Section, view: View, figures: Iterable[Figure] = ()) -> str:
    """One chapter: heading, the sentence that explains it, its charts (drawn now, as PNG) and its tables."""
    parts = [f'<section id="{section.id}"><h2>{html.escape(section.title)}</h2>']
    parts.append(f'<p class="intro">{html.escape(section.intro)}</p>')
    if section.missing:
        parts.append(f'<p class="absent">{html.escape(section.missing)}</p>')
    else:
        images = [figure_html(figure, section.title) for figure in figures]
        if images:
            parts.append(f'<div class="charts">{"".join(images)}</div>')
        parts.extend(table_html(table, view) for table in section.tables)
    parts.append("</section>")
    return "".join(parts)


def title_block(view: View) -> str:
    """Title, scope, period, when the run was made and how recent its data is."""
    lang = view.lang
    data = view.run.data
    scope = f"{t('run.' + view.level, lang)}: {view.name}"
    facts = [
        (t("run.period", lang), str(view.period)),
        (t("run.scope", lang), scope),
        (t("run.made", lang), data.computed_at),
        (t("run.as_of", lang), data.facts.as_of or ""),
    ]
    meta = "".join(f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>" for k, v in facts)
    company = html.escape(view.params.report.company_name)
    heading = html.escape(document_title(view.level, view.name, view.period, lang))
    return f'<header class="title"><p class="company">{company}</p><h1>{heading}</h1><dl>{meta}</dl></header>'


def contents(sections: Iterable[tuple[str, str]], lang: Language) -> str:
    """A table of contents linking (section id, title) pairs."""
    items = "".join(f'<li><a href="#{sid}">{html.escape(title)}</a></li>' for sid, title in sections)
    return f'<nav class="toc"><h2>{html.escape(t("run.contents", lang))}</h2><ol>{items}</ol></nav>'
