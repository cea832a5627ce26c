"""A render worker imports the notebook machinery without the grammars of jsonschema's iri format check."""

from __future__ import annotations

import subprocess
import sys


def test_a_render_worker_validates_notebooks_without_importing_rfc3987_syntax():
    code = (
        "import sys\n"
        "import kamreport.run.executor\n"  # what a render worker imports first
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['source'] = 1\n"  # not a string: still refused
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('refused')\n"
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["refused", "False"]
