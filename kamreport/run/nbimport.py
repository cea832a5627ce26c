"""Importing the notebook machinery (nbformat, papermill, nbclient) without compiling forty grammars first.

nbformat imports jsonschema, and jsonschema's format checker imports ``rfc3987_syntax`` when
it is installed (jupyterlab brings it, through jupyter-events).  That module builds some
forty Lark parsers when imported: 1.3 s of CPU in every process that plans or renders the
reports (the pack itself and each render worker), a second and more of a demo pack.  What
it serves — checking the ``iri`` string formats — is never used there: nbformat's schemas
declare no string format and nbformat validates without a format checker.  So those
processes mark the module absent before nbformat is first imported, and jsonschema (which
imports it inside ``suppress(ImportError)``) leaves the two formats out.
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"


def skip_iri_grammars() -> None:
    """Make ``import rfc3987_syntax`` fail at once in this process; nothing when it is already imported."""
    # None in sys.modules is Python's documented way to make an import raise ImportError
    sys.modules.setdefault(SKIPPED, None)  # type: ignore[arg-type]  # typeshed's sys.modules holds modules only
