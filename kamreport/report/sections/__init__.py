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


def report_sections(view: View) -> list[Section]:
    """Every section of a region or company report, in order."""
    return [build(view) for build in REPORT_SECTIONS]


__all__ = ["REPORT_SECTIONS", "Section", "Table", "rag", "report_sections", "unit_of"]
