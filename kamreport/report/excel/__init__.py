"""Excel workbooks of the reports (XlsxWriter): :func:`write_workbook` is the entry point."""

from __future__ import annotations

from kamreport.report.excel.workbook import write_workbook

__all__ = ["write_workbook"]
