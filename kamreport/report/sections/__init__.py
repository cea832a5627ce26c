"""What the chapters' tables hold: one module per group of chapters, each a function per table.

A function takes a :class:`~kamreport.report.views.View` and returns the table's rows: it
selects from the run's results and formats (labels, order), it never computes a figure
(every figure is computed once, in :func:`kamreport.compute.compute`).  The chapters that
use them are declared in :mod:`kamreport.report.chapters`.
"""

from __future__ import annotations

from kamreport.report.sections.base import Section, Table, rag, unit_of

__all__ = ["Section", "Table", "rag", "unit_of"]
