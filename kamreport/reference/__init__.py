"""The generated documents: params/README.md and docs/*.md rendered from the code, so they never drift.

``python -m kamreport.reference`` rewrites every one of them in the checkout;
``python -m kamreport.reference --check`` lists those that differ from what the code renders
and exits 1 (``tests/test_reference.py`` fails on the same).  The prose of each document is
a template in ``templates/``; its tables, names and defaults come from
:mod:`kamreport.reference.documents`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamreport.reference.documents import contract_reference, kpi_reference, outputs_reference, params_reference
from kamreport.reference.markdown import environment

# path in the checkout → (template, the function that fills it)
DOCUMENTS: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
    "params/README.md": ("params.md.j2", params_reference),
    "docs/kpis.md": ("kpis.md.j2", kpi_reference),
    "docs/data-contract.md": ("data-contract.md.j2", contract_reference),
    "docs/outputs.md": ("outputs.md.j2", outputs_reference),
}
CHECKOUT = Path(__file__).resolve().parents[2]


def render(path: str) -> str:
    """The text of one generated document (``path`` as in :data:`DOCUMENTS`)."""
    template, variables = DOCUMENTS[path]
    return environment().get_template(template).render(**variables())


def stale(root: Path = CHECKOUT) -> list[str]:
    """The generated documents under ``root`` that differ from what the code renders."""
    found = []
    for path in DOCUMENTS:
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != render(path):
            found.append(path)
    return found


def write(root: Path = CHECKOUT) -> list[str]:
    """Rewrite every generated document under ``root``; returns the paths that changed."""
    changed = []
    for path in DOCUMENTS:
        target = root / path
        text = render(path)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
