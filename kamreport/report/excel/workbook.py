"""The workbook of a report or a plan: a sheet per chapter (and per table that asks for its own).

Same inputs give the same file: the document's ``created`` date is the data's as-of date
(XlsxWriter already pins the zip entries' times).  Text is written as text
(``strings_to_formulas`` and ``strings_to_urls`` off) and missing numbers as blanks, so a
customer called ``=HYPERLINK(…)`` is shown as written and no cell reads ``#NUM!``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

import kamreport
from kamreport.files import atomic_target
from kamreport.report.chapters import report_sections
from kamreport.report.excel.sheet import Scope, SheetWriter, sheets
from kamreport.report.excel.styles import Styles
from kamreport.report.labels import document_title, t
from kamreport.report.links import plan_links, plans_note
from kamreport.report.theme import load_theme
from kamreport.report.views import View

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
    # the sheets' XML is assembled in memory, not in one temporary file per sheet (opening and
    # removing them cost a plan about 20 ms); the company workbook's largest sheet is a few MB
    "in_memory": True,
}


def scope_line(view: View) -> str:
    """``Region: East · Quarter 2026Q3 · Company`` (the company is not repeated on its own report)."""
    lang = view.lang
    colon = "：" if lang == "zh" else ": "
    parts = [f"{t('run.' + view.level, lang)}{colon}{view.name}", f"{t('run.period', lang)} {view.period}"]
    if view.level != "company":
        parts.append(view.params.report.company_name)
    return " · ".join(parts)


def created_at(view: View) -> datetime:
    """The document's creation time: the data's as-of date, else the end of the period reported."""
    as_of = view.facts.as_of
    day = date.fromisoformat(as_of) if as_of else view.period.end
    return datetime(day.year, day.month, day.day)


def properties(view: View) -> dict[str, object]:
    """Document properties: title, subject, author, company, keywords, comments and created."""
    lang = view.lang
    company = view.params.report.company_name
    return {
        "title": document_title(view.level, view.name, view.period, lang),
        "subject": scope_line(view),
        "author": company,
        "company": company,
        "keywords": "kamreport, key accounts",
        "comments": f"kamreport {kamreport.__version__}; {t('run.as_of', lang)} {view.facts.as_of or view.period.end}",
        "created": created_at(view),
    }


def write_workbook(view: View, path: str | Path | None = None, plans: dict[str, str] | None = None) -> Path:
    """Write the workbook of ``view``: the sheets of every chapter of its document, in order.

    Parameters
    ----------
    view
        A region, the company, a group or an account (``run.region("East")``); its language
        labels every sheet.
    path
        The ``.xlsx`` file to write (it appears complete or not at all); None: the view's place
        in the run's output tree.
    plans
        account_id → path of that account's plan workbook, relative to ``path``'s folder;
        the Accounts sheet links those accounts' names to them.  None: the plans the run
        makes (:func:`plan_links`).

    Returns
    -------
    Path
        Where the workbook was written.
    """
    if view.level == "owner":
        raise ValueError("an account manager has no workbook of their own: write their key accounts' plans")
    tree = view.run.layout()
    target = Path(path) if path else tree.files(view.level, view.key).xlsx
    if plans is None:
        plans = plan_links(view, tree, target.parent)
    theme = load_theme(view.params.report)
    font = theme.font(view.lang)
    sections = report_sections(view)
    scope = Scope(scope_line(view), view.params, dict(plans), plans_note(view, plans))
    with atomic_target(target) as tmp:
        options = WORKBOOK_OPTIONS | {"default_format_properties": {"font_name": font.name, "font_size": font.size}}
        workbook = Workbook(str(tmp), options)
        styles = Styles(workbook, theme, view.lang, view.params.report.currency)
        for section in sections:
            for name, part in sheets(section, view.lang):
                SheetWriter(workbook, styles, scope, part, name).write()
        workbook.set_properties(properties(view))
        workbook.close()
    return target
