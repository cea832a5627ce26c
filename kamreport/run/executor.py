"""Running render jobs: papermill in warm kernels, in a local process pool or on a Dask cluster.

A fresh kernel costs about a second before any import, and importing pandas, matplotlib and
seaborn about another (docs/pitfalls.md), so each worker process keeps one kernel warm and runs
its jobs in it one after another: before each job the kernel's namespace is reset and its
execution counter set back to 1, so the executed notebook is the one a fresh kernel gives.
Kernels talk over Unix sockets (``transport="ipc"``), which avoids the TCP port races
parallel kernels meet, and are started inside the worker (never before a fork).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from kamreport.run.job import Job
from kamreport.run.nbimport import skip_iri_grammars

ENGINE_NAME = "kamreport-warm"
KERNEL_NAME = "python3"
# Between jobs: the previous notebook's names go and the counter starts again at 1.  Not
# %reset: it flushes the display hook with a full gc.collect(), a fifth of a second a job.
RESET_CODE = """
def _kr_reset(shell):
    for name in [n for n in list(shell.user_ns) if not n.startswith("_") and n not in shell.user_ns_hidden]:
        del shell.user_ns[name]
    # Out, and IPython 9's record of every output bundle shown (the last report's whole HTML
    # pages, kept per counter value, so a warm kernel grew by each report it rendered) and input
    history = shell.history_manager
    history.reset(new_session=False)
    history.input_hist_parsed[:] = [""]
    history.input_hist_raw[:] = [""]
    shell.execution_count = 1
    theme = __import__("sys").modules.get("kamreport.report.theme")
    if theme is not None:  # a kr.theme() call of the previous notebook does not colour this one
        theme.theme(reset=True)
    try:  # glibc keeps the previous report's freed pages: hand them back (a company report's are many)
        __import__("ctypes").CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
_kr_reset(get_ipython())
del _kr_reset
"""
# Once per kernel.  ipykernel sleeps half a millisecond after each cell before replying, a
# guard for clients that read the reply before the outputs; nbclient waits for the kernel's
# idle status, which comes after every output, so the sleep only delays the next cell.
KERNEL_SETUP_CODE = "get_ipython().kernel._execute_sleep = 0"


@dataclass(frozen=True)
class JobResult:
    """How one job ended."""

    job_id: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str | None = None
    worker: str = ""


class KernelSession:
    """One kernel per worker process, kept warm across jobs (or a fresh one per job when ``reuse`` is off)."""

    def __init__(self, reuse: bool = True, startup_timeout: int = 60) -> None:
        self.reuse = reuse
        self.startup_timeout = startup_timeout
        self.km: Any = None
        self.kc: Any = None
        self.cwd: str | None = None
        self.group: str | None = None  # the kernel group of the jobs it ran (Job.kernel_group)
        self._sockets: str | None = None

    def _start(self, cwd: str) -> None:
        from jupyter_client.manager import KernelManager

        last: Exception | None = None
        for _attempt in range(2):  # a kernel that does not answer in time gets one more try (papermill #239)
            self._sockets = tempfile.mkdtemp(prefix="kamreport-kernel-")
            km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc")
            km.ip = str(Path(self._sockets) / "kernel")
            try:
                # no history database: a counter set back to 1 would clash with it ("not unique")
                km.start_kernel(cwd=cwd, extra_arguments=["--HistoryManager.enabled=False"])
                kc = km.client()
                kc.start_channels()
                kc.wait_for_ready(timeout=self.startup_timeout)
                kc.execute_interactive(KERNEL_SETUP_CODE, silent=True, store_history=False, timeout=30)
            except (RuntimeError, TimeoutError) as exc:
                last = exc
                km.shutdown_kernel(now=True)
                continue
            self.km, self.kc, self.cwd = km, kc, cwd
            return
        raise RuntimeError(f"the kernel did not start: {last}")

    def shutdown(self) -> None:
        """Stop the kernel (at worker exit, or after a job left it in a bad state)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
        self.km = self.kc = self.cwd = self._sockets = self.group = None

    def kill(self) -> None:
        """Kill the kernel's process group at once (the worker is going away without its parent)."""
        provisioner = getattr(self.km, "provisioner", None)
        pgid = getattr(provisioner, "pgid", None)
        pid = getattr(provisioner, "pid", None)
        try:
            if pgid and hasattr(os, "killpg"):
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        except OSError:  # already gone
            pass

    def execute(self, job: Job, output: Path) -> Any:
        """Run the job's notebook into ``output``; raises papermill's error when a cell fails."""
        import papermill as pm

        other_group = self.group not in (None, job.kernel_group)
        if self.km is None or self.cwd != job.cwd or other_group or not self.km.is_alive():
            self.shutdown()
            self._start(job.cwd)
        self.group = job.kernel_group
        try:
            # not waited for: the kernel runs requests in order, so the reset is done before the
            # first cell, and nbclient passes over the reply and status messages of another request
            self.kc.execute(RESET_CODE, silent=True, store_history=False)
            return pm.execute_notebook(
                str(job.notebook),
                str(output),
                parameters=job.parameters,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=job.timeout,
                engine_name=ENGINE_NAME,
                km=self.km,
                kc=self.kc,
            )
        finally:
            if not self.reuse:  # a fresh kernel per job: the slow way, kept for comparison and debugging
                self.shutdown()


_SESSION: KernelSession | None = None


def _kernel_trouble() -> tuple[type[BaseException], ...]:
    skip_iri_grammars()  # before nbclient imports nbformat (a render worker imports this module first)
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    return (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError)


_KERNEL_TROUBLE = _kernel_trouble()


def _session(reuse: bool) -> KernelSession:
    global _SESSION
    if _SESSION is None or _SESSION.reuse != reuse:
        if _SESSION is not None:
            _SESSION.shutdown()
        _SESSION = KernelSession(reuse)
        atexit.register(_SESSION.shutdown)
    return _SESSION


def render_job(job: Job, reuse_kernels: bool = True) -> JobResult:
    """Execute one report notebook, then write its HTML; the executed notebook is kept either way.

    Runs in a worker process (local pool or Dask).  A failing notebook does not raise: its
    result says ``failed`` and the executed notebook beside the outputs shows the error.
    """
    from papermill.exceptions import PapermillExecutionError

    from kamreport.report.export import export_html

    register_engine()
    started = time.perf_counter()
    worker = f"pid {os.getpid()}"
    files = job.files
    files.folder.mkdir(parents=True, exist_ok=True)
    running = files.folder / f".{files.stem}.running.ipynb"
    session = _session(reuse_kernels)
    try:
        notebook = session.execute(job, running)
        if job.html:
            export_html(notebook, files.html, job.title, job.language)
        running.replace(files.ipynb)
        return JobResult(job.id, "ok", round(time.perf_counter() - started, 3), None, worker)
    except PapermillExecutionError as exc:
        if running.exists():
            running.replace(files.ipynb)
        return JobResult(
            job.id, "failed", round(time.perf_counter() - started, 3), f"{exc.ename}: {exc.evalue}", worker
        )
    except Exception as exc:  # a missing notebook, a dead kernel, a cell over its time limit
        if isinstance(exc, _KERNEL_TROUBLE):  # start a new kernel for the next job
            session.shutdown()
        if running.exists():
            running.replace(files.ipynb)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return JobResult(job.id, "failed", round(time.perf_counter() - started, 3), detail, worker)


def register_engine() -> None:
    """Register the warm-kernel papermill engine (idempotent)."""
    from papermill.engines import NBClientEngine, papermill_engines

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmKernelEngine(NBClientEngine):  # type: ignore[misc]  # papermill is untyped: its classes are Any
        """papermill's nbclient engine, run in a kernel (and client) that outlives the job."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            km: Any = None,
            kc: Any = None,
            **kwargs: Any,
        ) -> Any:
            from papermill.clientwrap import PapermillNotebookClient
            from papermill.utils import remove_args

            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            client.kc = kc  # reuse the session's client: no new channels per job
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


PARENT_POLL_SECONDS = 0.5


def watch_parent(parent: int) -> None:
    """Worker initializer: when the main process is gone (even ``kill -9``), kill the kernel and exit.

    A pool worker orphaned by its parent would otherwise finish its job and then wait for
    work forever, holding its kernel.  A thread polls the parent pid (portable, unlike
    Linux's parent-death signal) and ends both within a second.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        if _SESSION is not None:
            _SESSION.kill()
        os._exit(1)

    threading.Thread(target=watch, name="kamreport-parent-watch", daemon=True).start()


def run_local(jobs: list[Job], workers: int, reuse_kernels: bool) -> Iterator[JobResult]:
    """Run jobs in ``workers`` spawned processes; yield each result as it completes."""
    if not jobs:
        return
    with ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(jobs))),
        mp_context=get_context("spawn"),
        initializer=watch_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures: dict[Future[JobResult], Job] = {pool.submit(render_job, job, reuse_kernels): job for job in jobs}
        for future in as_completed(futures):
            yield _result(future, futures[future])


def run_dask(jobs: list[Job], scheduler: str, reuse_kernels: bool) -> Iterator[JobResult]:
    """Send jobs to the Dask cluster at ``scheduler`` (its workers must see the run folder and notebooks)."""
    if not jobs:
        return
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        futures = {
            client.submit(render_job, job, reuse_kernels, key=f"render-{job.id}", pure=False): job for job in jobs
        }
        for future in dask_completed(list(futures)):
            yield _result(future, futures[future])


def _result(future: Any, job: Job) -> JobResult:
    try:
        result: JobResult = future.result()
        return result
    except Exception as exc:  # the worker itself failed (killed, out of memory …)
        return JobResult(job.id, "failed", 0.0, f"worker failed: {exc}")
