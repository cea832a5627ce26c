"""Dependencies point one way: a lower layer never imports a higher one (the order of docs/architecture.md).

Every ``import`` of every module is read from its source with :mod:`ast` — at module level,
inside functions (a lazy import is still a dependency) and under ``TYPE_CHECKING`` — and
mapped to its layer.  The one exception is the package's own ``__init__``: it is the public
facade above every layer, and the layers below may read only its ``__version__`` (and
``__file__``) from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kamreport"

MARKER = "<!-- layers: highest first; tests/test_architecture.py reads this block -->"


def documented_layers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The layers docs/architecture.md lists, lowest first: (name, module prefixes)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("```")[1]
    layers: list[tuple[str, list[str]]] = []
    for line in block.splitlines()[1:]:  # the first line is the fence's language
        if not line.strip():
            continue
        if line[0].isspace():
            layers[-1][1].extend(line.split())
        else:
            name, *prefixes = line.split()
            layers.append((name, prefixes))
    return tuple((name, tuple(prefixes)) for name, prefixes in reversed(layers))


# Lowest first.  A module belongs to the layer of the longest prefix that names it.
LAYERS = documented_layers()
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
FACADE = "kamreport"
FACADE_ATTRIBUTES = {"__version__", "__file__"}


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name (``None`` when no layer claims it)."""
    best: tuple[int, str] | None = None
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    return best[1] if best else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(name: str, source: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, imported kamreport module) for every import in a module's source, wherever it stands."""
    tree = ast.parse(source)
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == FACADE]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.split(".")[0] != FACADE:
                continue
            if module == FACADE:
                # ``from kamreport import x``: x is a submodule or a name of the facade
                for alias in node.names:
                    sub = f"{FACADE}.{alias.name}"
                    is_module = (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").is_file()
                    found.append((node.lineno, sub if is_module else f"{FACADE}:{alias.name}"))
            else:
                found.append((node.lineno, module))
    # ``import kamreport`` then ``kamreport.attr``: which attributes of the facade are read
    if any(module == FACADE for _, module in found):
        found = [(line, m) for line, m in found if m != FACADE]
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == FACADE:
                found.append((node.lineno, f"{FACADE}:{node.attr}"))
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def violations(path: Path, source: str | None = None) -> list[str]:
    """Every import in the module at ``path`` (or in ``source`` given for it) that reaches above its layer."""
    name = module_name(path)
    own = layer_of(name)
    assert own is not None, f"{name} belongs to no layer: add it to LAYERS in tests/test_architecture.py"
    text = path.read_text(encoding="utf-8") if source is None else source
    found = []
    for line, target in imports(name, text, path.name == "__init__.py"):
        where = f"{path.relative_to(ROOT)}:{line}"
        if target.startswith(f"{FACADE}:"):
            attribute = target.split(":", 1)[1]
            if attribute not in FACADE_ATTRIBUTES:
                found.append(f"{where} reads kamreport.{attribute}: import it from its module")
            continue
        layer = layer_of(target)
        if layer is None:
            found.append(f"{where} imports {target}, which belongs to no layer")
        elif RANK[layer] > RANK[own]:
            found.append(f"{where} ({own}) imports {target} ({layer})")
    return found


def test_the_documented_layers_are_the_project_s():
    names = [name for name, _ in LAYERS]
    assert names == ["base", "data", "facts", "kpi", "planning", "compute", "report", "run", "cli"]
    assert layer_of("kamreport.params.kpi") == "base" and layer_of("kamreport.demo.world") == "data"


def test_every_module_imports_only_its_own_layer_or_lower():
    found = [v for path in modules() for v in violations(path)]
    assert found == [], "imports against the layer order:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from kamreport.report.views import View\n",
            ["kamreport/facts.py:1 (facts) imports kamreport.report.views (report)"],
        ),
        (
            "def f():\n    import kamreport.run.store\n",
            ["kamreport/facts.py:2 (facts) imports kamreport.run.store (run)"],
        ),
        ("from kamreport import compute\n", ["kamreport/facts.py:1 (facts) imports kamreport.compute (compute)"]),
        (
            "from kamreport import open_run\n",
            ["kamreport/facts.py:1 reads kamreport.open_run: import it from its module"],
        ),
        ("import kamreport\nv = kamreport.__version__\n", []),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kamreport.kpi.base import KpiContext\n",
            ["kamreport/facts.py:3 (facts) imports kamreport.kpi.base (kpi)"],
        ),
        ("from kamreport.periods import Quarter\nfrom kamreport.data.parse import parse\n", []),
    ],
)
def test_the_check_sees_every_kind_of_import(source, expected):
    """The checker itself, on hand-written sources given for the facts module."""
    assert violations(PACKAGE / "facts.py", source) == expected


def test_relative_imports_are_resolved():
    assert imports("kamreport.kpi.sales", "from .base import ratio\nfrom ..facts import Facts\n", False) == [
        (1, "kamreport.kpi.base"),
        (2, "kamreport.facts"),
    ]
