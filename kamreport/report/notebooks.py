"""The report notebooks, generated from the chapter declarations: ``python -m kamreport.report.notebooks``.

Each notebook is a ``parameters`` cell, a setup cell that opens the run and shows the cover,
and one ``kr.show(view, "<chapter>")`` cell per chapter of its document
(:mod:`kamreport.report.chapters`), each under a markdown cell for the analyst (tagged
``notebook-only``: the HTML report leaves it out).  The committed ``notebooks/*.ipynb`` are
this module's output, byte for byte, and a test says so: edit the declarations or the
labels, run the command above, commit both.  Analysts who keep edited notebooks point
``render.notebooks_dir`` at their own folder.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import kamreport
from kamreport.layout import Level
from kamreport.report.chapters import chapters_for
from kamreport.report.labels import t

NB_ONLY = {"tags": ["notebook-only"]}
COMMON = (
    'params_file = "../params/demo.yaml"  # the run\'s params file\n'
    "run_dir = None  # or a run folder made by `kamreport run` (output/2026Q3): its recorded params are used\n"
    'language = None  # None: the params file\'s language; or "en" / "zh"\n'
)
TAIL = (
    "write_workbook = True  # also write the workbook\n"
    "workbook = None  # where; None: its place in the run's output tree"
)
RERUN = (
    "**Rerun by hand:** set the parameters below and *Run All*. The notebook reads the run's computed "
    "results — or computes them from the params file when they are missing or out of date — and never "
    "reads the raw exports itself. Cells like this one are for you, the analyst: the HTML report shows "
    "only what the cells display."
)
TWEAK = (
    "**Change a chapter before it is shown:** `kr.show` returns the chapter; Jupyter draws it when it is "
    "the cell's last value, so you can adjust a chart or read the numbers first:\n\n"
    "```python\n"
    'ch = kr.show(view, "profit")\n'
    "ch.figures[0].axes[0].set_ylim(0, None)  # a matplotlib Figure, drawn with seaborn\n"
    'ch.tables["by_account"].head()           # the tables as the chapter shows them\n'
    "ch\n"
    "```\n\n"
    '`kr.theme(positions={"attack": "#E4572E"})` changes the colours of every chart and workbook made '
    "afterwards in the session (`report.theme` in the params file does it for a run)."
)


@dataclass(frozen=True)
class NotebookSpec:
    """One report notebook: its file, heading, the view it opens and the parameters it takes."""

    file: str
    levels: tuple[Level, ...]  # the views it renders; its chapters are those of the first
    heading: str
    intro: str
    parameters: str
    view_line: str
    workbook_text: str


NOTEBOOKS: tuple[NotebookSpec, ...] = (
    NotebookSpec(
        "region_report.ipynb",
        ("region",),
        "Regional key-account report",
        "One region's quarter: the five key-account indicators, positions, targets, funnel, execution, fill "
        "rate, profit and sales rhythm. `kamreport run` executes this notebook once per region with papermill.",
        COMMON + 'region = "East"  # the region to report\n' + TAIL,
        "view = run.region(region)",
        "The same chapters as sheets, with native Excel charts, for the manager to open from an e-mail.",
    ),
    NotebookSpec(
        "company_overview.ipynb",
        ("company",),
        "Company key-account overview",
        "The whole company (the run's scope) in the same chapters as the regional reports. `kamreport run` "
        "executes this notebook once per run.",
        COMMON + TAIL,
        "view = run.company()",
        "The same chapters as sheets, with native Excel charts, for the manager to open from an e-mail.",
    ),
    NotebookSpec(
        "account_plan.ipynb",
        ("account", "group"),
        "Account plan",
        "The document an account manager takes into the quarterly review with the customer's team. "
        "`kamreport run` executes this notebook once per key account (and once per group customer, with "
        '`plan_of = "group"`).',
        COMMON
        + 'account = "A00001"  # an account_id, or a group_id when plan_of is group\n'
        + 'plan_of = "account"  # "account" or "group"\n'
        + TAIL,
        'view = run.group(account) if plan_of == "group" else run.account(account)',
        "The plan as a workbook, a sheet per chapter.",
    ),
)
NOTEBOOK_FILES: dict[Level, str] = {level: spec.file for spec in NOTEBOOKS for level in spec.levels}


def default_notebooks_dir() -> Path:
    """The kit's ``notebooks/`` folder (beside the package in a checkout or editable install)."""
    return Path(kamreport.__file__).resolve().parent.parent / "notebooks"


def build_notebook(spec: NotebookSpec) -> nbformat.NotebookNode:
    """The notebook of ``spec``, from the chapters of its document (cell ids fixed, so the file is stable)."""
    intro = f"# {spec.heading}\n\n{spec.intro}\n\n{RERUN}"
    if spec.levels[0] in ("region", "company"):
        intro += f"\n\n{TWEAK}"
    cells = [
        new_markdown_cell(intro, metadata=NB_ONLY, id="about"),
        new_code_cell(spec.parameters, metadata={"tags": ["parameters"]}, id="parameters"),
        new_code_cell(
            "import kamreport as kr\n\n"
            "run = kr.open_run(params_file, run_dir=run_dir, language=language)\n"
            f"{spec.view_line}\n"
            "kr.show(view)  # the title and the contents",
            id="cover",
        ),
    ]
    for chapter in chapters_for(spec.levels[0]):
        text = f"## {t(f'sheet.{chapter.id}', 'en')}\n{t(f'notebook.{chapter.id}', 'en')}"
        cells.append(new_markdown_cell(text, metadata=NB_ONLY, id=f"{chapter.id}-about"))
        cells.append(new_code_cell(f'kr.show(view, "{chapter.id}")', id=chapter.id))
    cells.append(new_markdown_cell(f"## The workbook\n{spec.workbook_text}", metadata=NB_ONLY, id="workbook-about"))
    cells.append(new_code_cell("if write_workbook:\n    kr.write_workbook(view, workbook)", id="workbook"))
    nb: nbformat.NotebookNode = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def notebook_text(spec: NotebookSpec) -> str:
    """The notebook of ``spec`` as the text of its ``.ipynb`` file."""
    text: str = nbformat.writes(build_notebook(spec))
    return text + "\n"


def write_notebooks(folder: Path | None = None) -> list[Path]:
    """Write every report notebook into ``folder`` (default the kit's ``notebooks/``); return their paths."""
    target = folder or default_notebooks_dir()
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in NOTEBOOKS:
        path = target / spec.file
        path.write_text(notebook_text(spec), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    """``python -m kamreport.report.notebooks [FOLDER]``: regenerate the report notebooks."""
    parser = argparse.ArgumentParser(description="regenerate the report notebooks from the chapter declarations")
    parser.add_argument("folder", nargs="?", type=Path, help="where to write them (default: the kit's notebooks/)")
    args = parser.parse_args(argv)
    for path in write_notebooks(args.folder):
        print(path)


if __name__ == "__main__":
    main()
