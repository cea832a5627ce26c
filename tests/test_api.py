"""The public API: a short ``__all__``, real types for type checkers, and a quick ``import kamreport``."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import kamreport

INIT = Path(kamreport.__file__)
PUBLIC = {"__version__", "open_run", "Run", "View", "Chapter", "show", "theme", "write_workbook"}
PUBLIC |= {"load_params", "charts"}


def _type_checking_imports() -> dict[str, str]:
    """name → "module:attribute" (or "module") for the imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    found = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names:
            submodule = f"{node.module}.{alias.name}"
            is_module = Path(INIT.parent, *submodule.split(".")[1:]).with_suffix(".py").is_file()
            found[alias.asname or alias.name] = submodule if is_module else f"{node.module}:{alias.name}"
    return found


def test_all_is_the_small_public_surface():
    assert set(kamreport.__all__) == PUBLIC
    assert sorted(dir(kamreport)) == sorted(PUBLIC)


def test_type_checkers_see_the_objects_the_lazy_loader_returns():
    exports = kamreport._EXPORTS
    assert _type_checking_imports() == exports
    assert set(exports) == PUBLIC - {"__version__"}
    for name, where in exports.items():
        module, _, attribute = where.partition(":")
        expected = getattr(import_module(module), attribute) if attribute else import_module(module)
        assert getattr(kamreport, name) is expected, name


@pytest.mark.parametrize("name", ["begin", "save_workbook", "report_sections", "load_or_compute"])
def test_internal_names_are_reached_through_their_modules(name):
    with pytest.raises(AttributeError, match=f"no attribute '{name}'"):
        getattr(kamreport, name)


def test_import_kamreport_loads_no_heavy_library():
    heavy = ("pandas", "numpy", "matplotlib", "pydantic")
    code = f"import sys, kamreport; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_package_ships_its_typing_marker():
    assert (INIT.parent / "py.typed").is_file()
