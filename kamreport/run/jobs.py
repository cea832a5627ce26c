"""What a run renders: one job per report (region, company, key account, group), each a notebook.

A :class:`~kamreport.run.job.Job` is a small picklable record — the notebook, its papermill parameters and the
files it produces — so the same job runs in a local process or on a Dask worker.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import get_args

import kamreport
from kamreport.data.inputs import sha256
from kamreport.errors import InputError, RenderSetupError
from kamreport.layout import Layout, Level
from kamreport.params import Output, RunParams
from kamreport.report.labels import document_title
from kamreport.report.views import Run
from kamreport.run.job import Job  # its own light module: what a render worker imports to unpickle a job
from kamreport.run.nbimport import skip_iri_grammars

OUTPUTS: tuple[Output, ...] = get_args(Output)


@dataclass(frozen=True)
class Selection:
    """Which jobs a command line asks for."""

    regions: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    outputs: tuple[str, ...] = get_args(Output)


# Reports (company, region) and plans (group, account) read different frames of the results
# store, and a warm kernel keeps the frames it read for its next jobs: at 10 M lines (21,000
# accounts) one that rendered the company and a region kept ~800 MiB into the thousands of
# plans after them (926 MiB after 100 plans), while a kernel that renders only plans holds
# ~705 MiB.  Dropping the frames in the kernel instead (tried: the store's frames re-read)
# left it larger, 1,094 MiB: other references kept the old frames alive.  So in a large run a
# worker starts a new kernel when it goes from reports to plans (Job.kernel_group).  A kernel
# start costs about 2 s of CPU, once a worker a run; in the demo (600 accounts, frames of a few
# MiB) that was 2 s of its render for nothing, hence the threshold.
SEPARATE_KERNELS_FROM = 10_000  # accounts
_KERNEL_GROUPS = {"company": "report", "region": "report", "group": "plan", "account": "plan"}


def plan_jobs(run: Run, layout: Layout, selection: Selection, notebooks_dir: Path | None = None) -> list[Job]:
    """Every job the params and the selection ask for, company first, then regions, groups and accounts.

    ``--region`` keeps the company report out and limits plans to that region's accounts;
    ``--account`` renders only those plans.
    """
    params = run.params
    render = params.render
    check_selection(run, selection)
    wants_reports = "xlsx" in selection.outputs or "html" in selection.outputs
    if not wants_reports:
        return []
    skip_iri_grammars()  # before nbformat's first import
    from kamreport.report.notebooks import default_notebooks_dir  # nbformat: only when there are reports

    folder = notebooks_dir or default_notebooks_dir()
    jobs: list[Job] = []
    regions = [r for r in run.regions if not selection.regions or r in selection.regions]
    plain = not selection.regions and not selection.accounts
    if render.company_report and plain:
        jobs.append(_job(run, layout, "company", "all", params.report.company_name, folder, selection))
    if render.region_reports and not selection.accounts:
        jobs.extend(_job(run, layout, "region", r, r, folder, selection) for r in regions)
    if render.account_plans:
        accounts = run.accounts.set_index("account_id")
        keys = [a for a in run.key_accounts if not selection.regions or accounts.loc[a, "region"] in regions]
        if selection.accounts:
            keys = list(selection.accounts)
        groups = sorted(
            {str(accounts.loc[a, "group_id"]) for a in keys if isinstance(accounts.loc[a, "group_id"], str)}
        )
        jobs.extend(
            _job(run, layout, "group", g, run.group(g).name, folder, selection)
            for g in groups
            if not selection.accounts
        )
        jobs.extend(
            _job(run, layout, "account", a, str(accounts.loc[a, "account_name"]), folder, selection) for a in keys
        )
    check_parameters(jobs)
    separate = len(run.accounts) >= SEPARATE_KERNELS_FROM
    return [
        replace(job, render_key=render_key(job, run), kernel_group=_KERNEL_GROUPS[job.kind] if separate else "")
        for job in jobs
    ]


def render_key(job: Job, run: Run) -> str:
    """Everything a finished report was made from, hashed: ``--resume`` keeps a report only while it matches.

    The run's results key (inputs, number-shaping params, kamreport's code and templates),
    the report settings (``report.*``), the language, the notebook file's content,
    kamreport's version and the job's own parameters and title.  A change in any of them
    makes the report stale.
    """
    payload = {
        "results": run.data.key,
        "kamreport": kamreport.__version__,
        "language": job.language,
        "report": run.params.report.model_dump(mode="json"),
        "notebook": sha256(job.notebook),  # a few kB: hashing it for every job costs nothing
        "parameters": job.parameters,
        "title": job.title,
        "html": job.html,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def check_outputs(outputs: tuple[str, ...]) -> None:
    """Refuse an ``--only`` value that is not an output (InputError naming it and the valid ones)."""
    unknown = sorted(set(outputs) - set(OUTPUTS))
    if unknown:
        raise InputError(
            f"--only {', '.join(unknown)}: not an output; --only takes a comma list of {', '.join(OUTPUTS)}"
        )


def check_selection(run: Run, selection: Selection) -> None:
    """Refuse an ``--only``, ``--region`` or ``--account`` value the run does not have.

    Raises
    ------
    InputError
        The message names the values and lists the valid ones.
    """
    check_outputs(selection.outputs)
    unknown = sorted(set(selection.regions) - set(run.regions))
    if unknown:
        raise InputError(
            f"--region {', '.join(unknown)}: no such region in this run; its regions are {', '.join(run.regions)}"
        )
    unknown = sorted(set(selection.accounts) - set(run.accounts["account_id"].astype(str)))
    if unknown:
        raise InputError(
            f"--account {', '.join(unknown)}: no such account_id in this run (key accounts include "
            f"{', '.join(run.key_accounts[:5])}; accounts.csv lists every account)"
        )


def check_parameters(jobs: list[Job]) -> None:
    """Refuse jobs whose parameters a notebook's ``parameters`` cell does not define.

    papermill only warns about them ("Passed unknown parameter"), and a renamed parameter in a
    customised notebook would then silently render the wrong report.
    """
    from papermill import inspect_notebook

    known: dict[Path, set[str]] = {}
    for job in jobs:
        if job.notebook not in known:
            if not job.notebook.is_file():
                raise RenderSetupError(
                    f"report notebook not found: {job.notebook} (render.notebooks_dir in the params)"
                )
            known[job.notebook] = set(inspect_notebook(str(job.notebook)))
        unknown = sorted(set(job.parameters) - known[job.notebook])
        if unknown:
            raise RenderSetupError(
                f"{job.notebook.name} has no parameter {', '.join(unknown)} in its parameters cell; "
                "add it there (with a default) or use the kit's notebook"
            )


def _job(run: Run, layout: Layout, kind: Level, key: str, name: str, folder: Path, selection: Selection) -> Job:
    from kamreport.report.notebooks import NOTEBOOK_FILES

    params: RunParams = run.params
    files = layout.files(kind, key)
    parameters: dict[str, object] = {
        "params_file": str(params.source) if params.source else "",
        "run_dir": str(params.run_dir),
        "language": run.language,
        "write_workbook": "xlsx" in selection.outputs,
        "workbook": str(files.xlsx),
    }
    if kind == "region":
        parameters["region"] = key
    elif kind in ("account", "group"):
        parameters["account"] = key
        parameters["plan_of"] = kind
    title = document_title(kind, name, run.period, run.language)
    return Job(
        kind=kind,
        key=key,
        name=name,
        notebook=folder / NOTEBOOK_FILES[kind],
        parameters=parameters,
        files=files,
        title=title,
        language=run.language,
        html="html" in selection.outputs,
        timeout=params.render.kernel_timeout,
        cwd=str(folder),
    )
