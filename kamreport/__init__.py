"""kamreport: key-account-management reporting from a company's raw exports.

The public API is what the notebooks and an analyst's own scripts call::

    import kamreport as kr
    run = kr.open_run("params/2026Q3.yaml")      # computes once, then reuses the results store
    view = run.region("East")                    # or run.company(), run.account(id), run.group(id)
    kr.show(view, "pipeline")                    # a chapter of a report, as a notebook shows it
    kr.write_workbook(view, "east.xlsx")         # the regional workbook
    view.kpis(), view.accounts, view.trend()     # the numbers as DataFrames

Everything else is reached through its module (``kamreport.compute.compute``,
``kamreport.run.store.load_or_compute`` …); docs/architecture.md says which layer holds what.

Names are imported on first use, so ``import kamreport`` (and the command line) stays quick
and loads neither pandas nor matplotlib; type checkers read the real types from the
``TYPE_CHECKING`` imports below, which name the same objects as ``_EXPORTS``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kamreport.params import load_params
    from kamreport.report import charts
    from kamreport.report.excel.workbook import write_workbook
    from kamreport.report.notebook import Chapter, show
    from kamreport.report.theme import theme
    from kamreport.report.views import Run, View
    from kamreport.run.session import open_run

# public name → where it lives: "module:attribute", or "module" for a module
_EXPORTS: dict[str, str] = {
    "open_run": "kamreport.run.session:open_run",
    "Run": "kamreport.report.views:Run",
    "View": "kamreport.report.views:View",
    "Chapter": "kamreport.report.notebook:Chapter",
    "show": "kamreport.report.notebook:show",
    "theme": "kamreport.report.theme:theme",
    "write_workbook": "kamreport.report.excel.workbook:write_workbook",
    "load_params": "kamreport.params:load_params",
    "charts": "kamreport.report.charts",
}

__all__ = [
    "Chapter",
    "Run",
    "View",
    "__version__",
    "charts",
    "load_params",
    "open_run",
    "show",
    "theme",
    "write_workbook",
]


if not TYPE_CHECKING:  # type checkers see the imports above; a name not among them is an error

    def __getattr__(name: str) -> Any:
        """Import a public name on first use (PEP 562) and keep it, so the next lookup is direct."""
        if name not in _EXPORTS:
            raise AttributeError(f"module 'kamreport' has no attribute {name!r}")
        module_name, _, attribute = _EXPORTS[name].partition(":")
        module: ModuleType = import_module(module_name)
        value = getattr(module, attribute) if attribute else module
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
