"""The baseline: the same pack the way an analyst makes it without kamreport.

One papermill notebook per region (``baseline/region.ipynb``) and per key account
(``baseline/account.ipynb``), each in a fresh kernel (plain ``papermill.execute_notebook``),
each re-reading the raw CSV exports with ``pandas.read_csv``, computing its figures with
groupby, drawing with matplotlib and writing its workbook with ``DataFrame.to_excel``
(xlsxwriter); then the executed notebook is turned into HTML with the ``jupyter nbconvert``
command (``--to html --no-input``).  Jobs run in a process pool as wide as kamreport's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parent.parent / "baseline"
PARAMETER = {"region": "region", "account": "account_id"}
# a kernel that lost a port race or did not answer gets one more try, as the analyst would rerun it
RETRIES = 1


@dataclass(frozen=True)
class BaselineJob:
    """One notebook to run."""

    kind: str  # "region" or "account"
    key: str
    csv_dir: str
    out_dir: str
    period: str

    @property
    def id(self) -> str:
        """``region:East``, ``account:A00042``."""
        return f"{self.kind}:{self.key}"


def choose_jobs(regions: list[str], key_accounts: list[str], sample: int | None) -> list[tuple[str, str]]:
    """Every (kind, key) of the pack, or the first ``sample`` of them: regions first, then accounts in order."""
    every = [("region", r) for r in regions] + [("account", a) for a in key_accounts]
    return every if sample is None else every[:sample]


def run_baseline(csv_dir: str, out_dir: str, jobs: list[list[str]], workers: int, period: str) -> dict[str, Any]:
    """Run ``jobs`` ((kind, key) pairs) in ``workers`` processes into a fresh ``out_dir``; timings as a dict."""
    out = Path(out_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    todo = [BaselineJob(kind, key, csv_dir, str(out), period) for kind, key in jobs]
    started = time.monotonic()
    log = str(out / "kernels.log")
    with ProcessPoolExecutor(max(1, min(workers, len(todo))), initializer=_quiet, initargs=(log,)) as pool:
        futures = [pool.submit(run_job, job) for job in todo]
        records = [f.result() for f in as_completed(futures)]
    ended = time.monotonic()
    return {"start": started, "end": ended, "wall_seconds": round(ended - started, 3), "jobs": records}


def _quiet(log: str) -> None:
    """Send this worker's stderr, and so its kernels' warnings, to ``log`` instead of the console."""
    import os

    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 2)
    os.close(fd)


def run_job(job: BaselineJob) -> dict[str, Any]:
    """Execute one notebook (a fresh kernel), then convert it with the nbconvert command."""
    executed = Path(job.out_dir) / f"{job.kind}_{job.key}.ipynb"
    record: dict[str, Any] = {**asdict(job), "id": job.id}
    started = time.perf_counter()
    error = _execute(job, executed, record)
    executed_at = time.perf_counter()
    if error is None:
        error = _convert(executed)
    ended = time.perf_counter()
    record.update(
        status="ok" if error is None else "failed",
        error=error,
        seconds=round(ended - started, 3),
        execute_seconds=round(executed_at - started, 3),
        convert_seconds=round(ended - executed_at, 3),
    )
    return record


def _execute(job: BaselineJob, executed: Path, record: dict[str, Any]) -> str | None:
    """Run the notebook with papermill; the error text, or None."""
    import papermill as pm

    parameters = {"csv_dir": job.csv_dir, PARAMETER[job.kind]: job.key, "period": job.period, "out_dir": job.out_dir}
    error = None
    for attempt in range(1 + RETRIES):
        record["attempts"] = attempt + 1
        try:
            pm.execute_notebook(
                str(NOTEBOOKS / f"{job.kind}.ipynb"),
                str(executed),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                cwd=job.out_dir,
            )
            return None
        except pm.PapermillExecutionError as exc:  # a cell failed: the notebook is wrong, no retry
            return f"{exc.ename}: {exc.evalue}"
        except Exception as exc:  # the kernel did not start or died
            error = f"{type(exc).__name__}: {exc}"
    return error


def _convert(executed: Path) -> str | None:
    """``jupyter nbconvert --to html --no-input`` as a command; the error text, or None."""
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "nbconvert", "--to", "html", "--no-input", str(executed)]
    command += ["--output-dir", str(executed.parent)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "nbconvert: " + " ".join(done.stderr.strip().splitlines()[-1:])
    return None
