"""Regenerate notebooks/*.ipynb from the chapter declarations (the same as `python -m kamreport.report.notebooks`)."""

from kamreport.report.notebooks import main

main()
