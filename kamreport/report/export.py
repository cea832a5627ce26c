"""Executed notebook → self-contained HTML with kamreport's nbconvert template (in-process).

Converting in the job, not with the ``jupyter nbconvert`` command, saves a process start
and its imports (about a second a report, docs/pitfalls.md).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import kamreport
from kamreport.files import write_text

if TYPE_CHECKING:  # nbformat pulls in jsonschema (seconds): the index page needs only templates_dir
    import nbformat
    from nbconvert.exporters import TemplateExporter

TEMPLATE_NAME = "html"


def templates_dir() -> Path:
    """The folder holding kamreport's templates (``templates/`` in the repo links to it)."""
    return Path(str(files("kamreport") / "assets" / "templates"))


@cache
def _exporter() -> TemplateExporter:
    # TemplateExporter, not HTMLExporter: ours renders only outputs we made, so HTMLExporter's
    # BeautifulSoup pass over the finished page (a fifth of a second a report) buys nothing.
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    exporter = TemplateExporter(
        # no preprocessors: the defaults change nothing here (tag and regex removal with
        # nothing to remove, the others off), yet the notebook was validated against its
        # JSON schema after each of the eleven, about 10 ms a report
        default_preprocessors=[],
        template_name=TEMPLATE_NAME,
        template_file="index.html.j2",
        file_extension=".html",
        extra_template_basedirs=[str(templates_dir())],
    )
    exporter.register_filter("markdown2html", markdown2html_mistune)
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def notebook_html(notebook: nbformat.NotebookNode, title: str, lang: str = "en", footer: str = "") -> str:
    """The report HTML of an executed notebook: outputs only, styles inline, nothing fetched."""
    resources = {
        "metadata": {"name": title},
        "kamreport": {"title": title, "lang": lang, "version": kamreport.__version__, "footer": footer},
    }
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return str(body)


def export_html(
    notebook: nbformat.NotebookNode | Path, path: Path, title: str, lang: str = "en", footer: str = ""
) -> Path:
    """Write the report HTML of ``notebook`` (a node or an .ipynb path) to ``path`` atomically."""
    import nbformat

    node = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, Path) else notebook
    write_text(path, notebook_html(node, title, lang, footer))
    return path
