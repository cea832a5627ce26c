"""What a report notebook calls: one line per chapter, so the notebook stays thin."""

from __future__ import annotations

from pathlib import Path

from IPython.display import HTML, display

from kamreport.layout import Layout
from kamreport.report.charts import SECTION_CHARTS, use_style
from kamreport.report.html import contents, section_html, title_block
from kamreport.report.labels import t
from kamreport.report.sections import SECTIONS_BY_ID, section_ids
from kamreport.report.views import View


def begin(view: View) -> None:
    """Chart theme, title block and the table of contents of a report or an account plan."""
    use_style()
    toc = [(sid, t(f"title.{sid}", view.lang)) for sid in section_ids(view)]
    display(HTML(title_block(view) + contents(toc, view.lang)))


def show(view: View, section_id: str) -> None:
    """Display one chapter: its explanation, charts and tables."""
    section = SECTIONS_BY_ID[section_id](view)
    display(HTML(section_html(section, view, SECTION_CHARTS.get(section_id, ()))))


def save_workbook(view: View, path: str | Path | None = None) -> Path:
    """Write the view's workbook (default: its place in the run's output tree) and return its path."""
    from kamreport.report.excel import write_workbook

    if view.level == "owner":
        raise ValueError("an account manager has no workbook of their own: write their accounts' plans")
    tree = view.run.layout()
    target = Path(path) if path else tree.files(view.level, view.key).xlsx
    return write_workbook(view, target, plan_links(view, tree, target.parent))


def plan_links(view: View, tree: Layout, folder: Path) -> dict[str, str]:
    """Key account → its plan workbook, relative to ``folder`` (the report's own folder).

    Region and company workbooks link each key account's name to its plan when the run makes
    account plans; a plan's own workbook links nothing.
    """
    if view.level not in ("region", "company") or not view.params.render.account_plans:
        return {}
    keys = view.accounts.index[view.accounts["key_account"].astype(bool)]
    return {str(a): tree.relative(tree.files("account", str(a)).xlsx, folder) for a in keys}
