"""Links between the reports of a run: account names to their plans, reports back to the index and regions.

Without ``report.link_base`` a link is the target's path relative to the report's own
folder (the run folder is kept together); with it, the place the published run folder keeps
the target (``link_base`` + ``/<run>/`` + its path in the run folder), so a workbook opened
from an e-mail still finds the plans.
"""

from __future__ import annotations

from pathlib import Path

from kamreport.layout import LEVELS, Layout, published_link
from kamreport.report.labels import t
from kamreport.report.views import View

INDEX = "index.html"


def link(view: View, tree: Layout, target: Path, folder: Path) -> str:
    """A link from a report in ``folder`` to ``target`` (a file of the run folder)."""
    base = view.params.report.link_base
    if base:
        return published_link(base, tree.run_name, tree.relative(target, tree.run_dir))
    return tree.relative(target, folder)


def plan_links(view: View, tree: Layout, folder: Path, suffix: str = "xlsx") -> dict[str, str]:
    """Key account → its plan (workbook, or with ``suffix="html"`` the HTML plan), from ``folder``.

    Region and company reports link each key account's name to its plan when the run makes
    account plans; a plan links no account.
    """
    if view.level not in ("region", "company") or not view.params.render.account_plans:
        return {}
    keys = view.accounts.index[view.accounts["key_account"].astype(bool)]
    links = {}
    for account in keys:
        files = tree.files("account", str(account))
        links[str(account)] = link(view, tree, files.html if suffix == "html" else files.xlsx, folder)
    return links


def plans_note(view: View, plans: dict[str, str]) -> str | None:
    """The sentence under a table whose names link to plans: where the plans are."""
    if not plans:
        return None
    return t("plans.published" if view.params.report.link_base else "plans.separate", view.lang)


def report_folder(view: View, tree: Layout) -> Path | None:
    """The folder of the view's own report in the run's output tree (None for a view without one: an owner)."""
    for level in LEVELS:
        if view.level == level:
            return tree.files(level, view.key).html.parent
    return None


def back_links(view: View, tree: Layout) -> list[tuple[str, str]]:
    """(text, href) of an HTML report's way back: the run's index, and a plan's region report(s)."""
    folder = report_folder(view, tree)
    if folder is None:
        return []
    lang = view.lang
    links = [(t("nav.index", lang), link(view, tree, tree.run_dir / INDEX, folder))]
    if view.level in ("account", "group") and view.params.render.region_reports:
        regions = sorted(view.accounts["region"].dropna().astype(str).unique())
        for region in regions:
            if ("region", region) in tree.slugs:
                target = tree.files("region", region).html
                colon = "：" if lang == "zh" else ": "
                links.append((f"{t('run.region', lang)}{colon}{region}", link(view, tree, target, folder)))
    return links
