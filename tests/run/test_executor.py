"""Render jobs: a warm kernel gives what a fresh one gives, and a Dask cluster renders the same files."""

from __future__ import annotations

import html
from dataclasses import replace

import nbformat
import pytest

from kamreport.run import jobs as jobs_module
from kamreport.run.executor import render_job, run_dask
from kamreport.run.jobs import Selection, plan_jobs

pytestmark = pytest.mark.slow


def _outputs(path):  # type: ignore[no-untyped-def]
    notebook = nbformat.read(path, as_version=4)
    return [(c.execution_count, c.outputs) for c in notebook.cells if c.cell_type == "code"]


def test_a_warm_kernel_gives_the_outputs_of_a_fresh_one(demo_run, tmp_path):
    jobs = plan_jobs(demo_run, demo_run.layout(), Selection(regions=("East", "South"), outputs=("html",)))
    east = next(j for j in jobs if j.id == "region:East")
    south = next(j for j in jobs if j.id == "region:South")
    assert render_job(east, reuse_kernels=False).status == "ok"
    fresh = _outputs(east.files.ipynb)
    fresh_html = east.files.html.read_text(encoding="utf-8")
    # in one warm kernel: another report first, then East again
    assert render_job(south, reuse_kernels=True).status == "ok"
    assert render_job(east, reuse_kernels=True).status == "ok"
    assert _outputs(east.files.ipynb) == fresh
    assert east.files.html.read_text(encoding="utf-8") == fresh_html
    # and the kernel keeps no more of its history after a report than after the same report before
    # (IPython 9 records every output bundle shown: whole report pages, job after job)
    kept = _history_kept()
    assert render_job(east, reuse_kernels=True).status == "ok"
    assert _history_kept() == kept
    # a plan of another kernel group (a large run's plans, Job.kernel_group) gets a kernel of its
    # own: the report's frames are not carried into the plans; the next plan keeps it warm
    plans = [replace(j, kernel_group="plan") for j in jobs if j.kind == "account"][:2]
    report_kernel = _kernel_pid()
    assert render_job(plans[0], reuse_kernels=True).status == "ok"
    plan_kernel = _kernel_pid()
    assert plan_kernel != report_kernel
    assert render_job(plans[1], reuse_kernels=True).status == "ok"
    assert _kernel_pid() == plan_kernel


def test_a_large_run_keeps_its_reports_and_plans_in_separate_kernels(demo_run, monkeypatch):
    def groups() -> dict[str, set[str]]:
        jobs = plan_jobs(demo_run, demo_run.layout(), Selection(regions=("East",), outputs=("html",)))
        return {kind: {j.kernel_group for j in jobs if j.kind == kind} for kind in ("region", "group", "account")}

    assert len(demo_run.accounts) < jobs_module.SEPARATE_KERNELS_FROM
    assert groups() == {"region": {""}, "group": {""}, "account": {""}}  # the demo: one warm kernel a worker
    monkeypatch.setattr(jobs_module, "SEPARATE_KERNELS_FROM", len(demo_run.accounts))
    assert groups() == {"region": {"report"}, "group": {"plan"}, "account": {"plan"}}


def _kernel_pid() -> int:
    from kamreport.run import executor

    assert executor._SESSION is not None
    return int(executor._SESSION.km.provisioner.pid)


def _history_kept() -> str:
    """How many inputs and recorded outputs the render kernel holds."""
    from kamreport.run import executor

    assert executor._SESSION is not None
    expression = "(len(In), sum(len(v) for v in get_ipython().history_manager.outputs.values()))"
    reply = executor._SESSION.kc.execute_interactive("", silent=True, user_expressions={"kept": expression}, timeout=30)
    return str(reply["content"]["user_expressions"]["kept"]["data"]["text/plain"])


def test_a_local_dask_cluster_renders_the_plans(demo_run):
    from distributed import LocalCluster

    jobs = [j for j in plan_jobs(demo_run, demo_run.layout(), Selection(outputs=("html",))) if j.kind == "account"][:4]
    for job in jobs:
        job.files.html.unlink(missing_ok=True)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        results = list(run_dask(jobs, cluster.scheduler_address, reuse_kernels=True))
    assert sorted(r.job_id for r in results) == sorted(j.id for j in jobs)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    assert len({r.worker for r in results}) == 2  # both workers took jobs
    for job in jobs:
        page = job.files.html.read_text(encoding="utf-8")
        assert html.escape(job.name) in page  # each plan is about its own account
