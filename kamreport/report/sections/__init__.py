"""Report sections: a view in, titled tables out — the one source of every workbook sheet and HTML chapter.

``REPORT_SECTIONS`` lists the chapters of a region or company report in order; the workbook
writes one sheet per section and the HTML report one chapter, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable

from kamreport.report.sections.accounts import accounts, positioning, targets
from kamreport.report.sections.base import Section, Table, rag, unit_of
from kamreport.report.sections.operations import execution, fill_rate, rhythm
from kamreport.report.sections.pipeline import pipeline
from kamreport.report.sections.plan import PLAN_SECTIONS
from kamreport.report.sections.profit import profit
from kamreport.report.sections.quality import data_quality, notes
from kamreport.report.sections.summary import summary
from kamreport.report.views import View

REPORT_SECTIONS: tuple[Callable[[View], Section], ...] = (
    summary,
    accounts,
    positioning,
    targets,
    pipeline,
    execution,
    fill_rate,
    profit,
    rhythm,
    data_quality,
    notes,
)


SECTIONS_BY_ID: dict[str, Callable[[View], Section]] = {
    build.__name__: build for build in (*REPORT_SECTIONS, *PLAN_SECTIONS)
}


def section_ids(view: View) -> tuple[str, ...]:
    """The chapters of the view's document: an account or group plan, or a region / company report."""
    builders = PLAN_SECTIONS if view.level in ("account", "group") else REPORT_SECTIONS
    return tuple(build.__name__ for build in builders)


def report_sections(view: View) -> list[Section]:
    """Every section of the view's document (a report, or a plan for an account or group), in order."""
    return [SECTIONS_BY_ID[sid](view) for sid in section_ids(view)]


__all__ = [
    "PLAN_SECTIONS",
    "REPORT_SECTIONS",
    "SECTIONS_BY_ID",
    "Section",
    "Table",
    "rag",
    "report_sections",
    "section_ids",
    "unit_of",
]
