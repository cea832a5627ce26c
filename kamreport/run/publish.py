"""index.html: one page for the run — company scorecard, regions side by side, reports and status, data quality."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from kamreport.files import write_text
from kamreport.layout import Layout, Level
from kamreport.periods import Quarter
from kamreport.report.chapters import SCORECARD, chapter
from kamreport.report.export import templates_dir
from kamreport.report.html import table_html
from kamreport.report.labels import column_label, t, value_label
from kamreport.report.views import Run
from kamreport.run.manifest import MANIFEST

INDEX = "index.html"


def _environment() -> jinja2.Environment:
    folder = templates_dir() / "html"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True)


def previous_run(run_dir: Path, period: Quarter) -> Path | None:
    """The index.html of the run of the quarter before, among the sibling run folders."""
    wanted = str(period.prev)
    for sibling in sorted(run_dir.parent.iterdir()) if run_dir.parent.is_dir() else []:
        manifest = sibling / MANIFEST
        if sibling != run_dir and manifest.is_file():
            try:
                period_of = json.loads(manifest.read_text(encoding="utf-8")).get("period")
            except json.JSONDecodeError:
                continue
            if period_of == wanted and (sibling / INDEX).is_file():
                return sibling / INDEX
    return None


def job_status(job: dict[str, Any] | None) -> str:
    """A report's status on index.html: ``made``, ``failed`` or ``not_made`` (no job for it in this run)."""
    if job is None:
        return "not_made"
    return "made" if job.get("status") == "ok" else "failed"


def write_index(run: Run, layout: Layout, jobs: list[dict[str, Any]]) -> Path:
    """Write ``index.html`` in the run folder, linking every report that exists."""
    lang = run.language
    run_dir = run.params.run_dir
    company = run.company()
    by_id = {j["id"]: j for j in jobs}

    def rel(path: Path) -> str:
        return layout.relative(path, run_dir)

    def links(kind: Level, key: str) -> dict[str, str]:
        files = layout.files(kind, key)
        found = {k: rel(path) for k, path in (("html", files.html), ("xlsx", files.xlsx)) if path.exists()}
        return found | {"status": value_label(job_status(by_id.get(f"{kind}:{key}")), lang)}

    folders: dict[Level, bool] = {}

    def listed(kind: Level, key: str) -> bool:
        if f"{kind}:{key}" in by_id:
            return True
        if kind not in folders:  # no folder of this kind (a data-only run): no file of it, none to look for
            folders[kind] = layout.files(kind, key).folder.parent.is_dir()
        return folders[kind] and bool(set(links(kind, key)) - {"status"})

    reports = [{"name": run.params.report.company_name, **links("company", "all")}]
    reports += [{"name": r, **links("region", r)} for r in run.regions]
    group_word = t("run.group", lang)
    reports += [
        {"name": f"{group_word}: {run.group(g).name}", **links("group", g)} for g in run.groups if listed("group", g)
    ]
    shown = [account_id for account_id in run.key_accounts if listed("account", account_id)]
    # the listed accounts' rows in one look-up (a row at a time costs a millisecond each)
    rows = run.accounts.set_index("account_id").loc[shown, ["account_name", "region", "tier", "position"]]
    plans = [
        {
            "name": row["account_name"],
            "region": row["region"],
            "tier": row["tier"],
            "position": value_label(row["position"], lang),
            **links("account", account_id),
        }
        for account_id, row in zip(shown, rows.to_dict("records"), strict=True)
    ]
    failures = [
        {
            "id": j["id"],
            "name": j["name"],
            "error": j.get("error") or "",
            "notebook": j.get("files", {}).get("ipynb"),
        }
        for j in by_id.values()
        if j["status"] != "ok"
    ]
    scorecard = SCORECARD.build(company)
    regions = chapter("regions").table("regions").build(company)
    quality = chapter("data_quality").table("tables").build(company)
    previous = previous_run(run_dir, run.period)
    page = (
        _environment()
        .get_template("run_index.html.j2")
        .render(
            lang=lang,
            title=f"{t('run.title', lang)} — {run.period}",
            company=run.params.report.company_name,
            css=(templates_dir() / "html" / "report.css").read_text(encoding="utf-8"),
            facts=[
                (t("run.period", lang), str(run.period)),
                (t("run.made", lang), run.data.computed_at),
                (t("run.as_of", lang), run.data.facts.as_of or ""),
            ],
            labels={
                "failed": t("run.failed", lang),
                "reports": t("run.reports", lang),
                "plans": t("run.plans", lang),
                "data": t("run.data", lang),
                "scope": t("run.scope", lang),
                "report": t("run.report", lang),
                "workbook": t("run.workbook", lang),
                "previous": t("run.previous", lang),
                "status": t("run.status", lang),
            },
            plan_headers=[
                column_label("account_name", lang),
                column_label("region", lang),
                column_label("tier", lang),
                column_label("position", lang),
                t("run.report", lang),
                t("run.workbook", lang),
                t("run.status", lang),
            ],
            failures=failures,
            scorecard=table_html(scorecard, company),
            regions=table_html(regions, company),
            reports=reports,
            plans=plans,
            quality=table_html(quality, company),
            exports=[
                (n, n) for n in ("kpis.csv", "accounts.csv", "data_quality.csv", MANIFEST) if (run_dir / n).exists()
            ],
            previous=rel(previous) if previous else None,
        )
    )
    path = run_dir / INDEX
    write_text(path, page)
    return path
