"""kamreport: key-account-management reporting from a company's raw exports.

The public API is what the notebooks and an analyst's own scripts call::

    import kamreport as kr
    run = kr.open_run("params/2026Q3.yaml")      # computes once, then reuses the results store
    view = run.region("East")                    # or run.company(), run.account(id), run.group(id)
    kr.show(view, "pipeline")                    # a chapter of a report, as a notebook shows it
    kr.write_workbook(view, "east.xlsx")         # the regional workbook
    view.kpis(), view.accounts, view.trend()     # the numbers as DataFrames

Names are imported on first use, so ``import kamreport`` (and the command line) stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "open_run": "kamreport.run.session",
    "Run": "kamreport.report.views",
    "View": "kamreport.report.views",
    "Chapter": "kamreport.report.notebook",
    "show": "kamreport.report.notebook",
    "theme": "kamreport.report.theme",
    "write_workbook": "kamreport.report.excel.workbook",
    "load_params": "kamreport.params",
    "load_or_compute": "kamreport.run.store",
    "compute": "kamreport.compute",
    "charts": "kamreport.report.charts",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kamreport' has no attribute {name!r}")
    module = import_module(_EXPORTS[name])
    return module if name == "charts" else getattr(module, name)


def __dir__() -> list[str]:
    return __all__
