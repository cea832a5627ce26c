"""The chapter declarations: notebooks generated from them, no figure computed in the report layer,
Chapter objects that display through _repr_html_, one theme for charts and workbooks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from kamreport.errors import ParamsError
from kamreport.params import ReportParams
from kamreport.report.chapters import CHAPTERS, chapters_for
from kamreport.report.labels import TEXT
from kamreport.report.notebook import Chapter, show
from kamreport.report.notebooks import NOTEBOOKS, default_notebooks_dir, notebook_text
from kamreport.report.theme import load_theme, theme

REPORT = Path(__file__).resolve().parents[2] / "kamreport" / "report"


@pytest.mark.parametrize("spec", NOTEBOOKS, ids=lambda s: s.file)
def test_committed_notebooks_are_what_the_chapters_generate(spec):
    committed = (default_notebooks_dir() / spec.file).read_text(encoding="utf-8")
    assert committed == notebook_text(spec), "regenerate: python -m kamreport.report.notebooks"


def test_every_chapter_has_its_labels_and_a_cell_in_its_notebooks():
    for spec in CHAPTERS:
        for prefix in ("title", "intro", "sheet", "notebook"):
            assert f"{prefix}.{spec.id}" in TEXT, (prefix, spec.id)
        for table in spec.tables:
            assert table.title in TEXT and (table.sheet is None or table.sheet in TEXT), (spec.id, table.id)
    for notebook in NOTEBOOKS:
        text = notebook_text(notebook)
        assert all(f'kr.show(view, \\"{c.id}\\")' in text for c in chapters_for(notebook.levels[0])), notebook.file
    assert [c.id for c in chapters_for("region")] == [c.id for c in chapters_for("company")]
    assert [c.id for c in chapters_for("account")] == [
        "overview",
        "objectives",
        "profile",
        "performance",
        "relationship",
        "opportunities",
        "plan",
        "promotions",
        "appendix",
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_report_layer_computes_no_figure():
    """Report modules never import the KPI engine, and section functions never divide (ratios are computed once)."""
    for path in sorted(REPORT.rglob("*.py")):
        kpi = [m for m in _imports(path) if m == "kamreport.kpi" or m.startswith("kamreport.kpi.")]
        assert not kpi, (path.name, kpi)
    for path in [*sorted((REPORT / "sections").glob("*.py")), REPORT / "chapters.py", REPORT / "spec.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        divisions = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)]
        ratios = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "ratio"]
        assert not divisions and not ratios, (path.name, divisions, ratios)


def test_show_returns_a_chapter_that_displays_what_was_changed(demo_run):
    view = demo_run.region("East")
    chapter = show(view, "profit")
    assert isinstance(chapter, Chapter) and isinstance(chapter.figures[0], Figure)
    before = chapter._repr_html_()
    axes = chapter.figures[0].axes[0]
    axes.set_ylim(0, None)  # the analyst's change, before Jupyter displays the chapter
    axes.set_title("Changed by hand")
    after = chapter._repr_html_()
    assert before != after and after.count("data:image/png;base64,") == 1
    bridge = chapter.tables["bridge"]
    assert list(bridge.columns) == ["Step", "Value"]
    kpis = view.kpis()
    assert bridge.iloc[0, 1] == pytest.approx(kpis["revenue"])
    assert bridge.iloc[-1, 1] == pytest.approx(kpis["contribution"])
    assert repr(chapter).startswith("<Chapter 'profit' of region 'East'")


def test_one_theme_for_charts_and_workbooks():
    shipped = load_theme()
    changed = load_theme(ReportParams(theme={"positions": {"attack": "#123456"}, "palette": ["#000000", "#FFFFFF"]}))
    assert changed.positions["attack"] == "#123456" and changed.positions["maintain"] == shipped.positions["maintain"]
    assert changed.palette == ("#000000", "#FFFFFF")
    try:
        theme(status={"warning": "#ABCDEF"})
        assert load_theme().status["warning"] == "#ABCDEF"
        with pytest.raises(ParamsError, match="unknown purple"):
            theme(positions={"purple": "#000000"})
    finally:
        theme(reset=True)
    assert load_theme() == shipped
