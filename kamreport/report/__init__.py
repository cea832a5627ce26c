"""Rendering: labels, charts, the Excel workbooks and the HTML reports."""
