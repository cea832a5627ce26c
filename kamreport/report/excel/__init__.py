"""Excel workbooks of the reports (XlsxWriter); the entry point is :func:`.workbook.write_workbook`.

The package imports nothing itself: the chapter declarations import its chart builders
(:mod:`kamreport.report.excel.charts`) and the workbook writer imports the declarations.
"""
