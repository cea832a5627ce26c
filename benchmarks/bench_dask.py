"""Issue 18: the same render jobs on a Dask ``LocalCluster`` and on kamreport's local pool, side by side.

    .venv/bin/python benchmarks/bench_dask.py PARAMS --plans 40 [--workers 2] [--rounds 2]

PARAMS names a run whose data pass is done (``kamreport run PARAMS --only data``).  The jobs
are the plans of the first ``--plans`` key accounts (largest revenue first), preceded by the
company and region reports with ``--reports``.  Each round runs them all on the local pool of
``--workers`` processes (:func:`kamreport.run.executor.run_local`) and then on a
``distributed.LocalCluster`` of as many single-thread worker processes
(:func:`kamreport.run.executor.run_dask`, the path of ``kamreport run --scheduler``).  Both
keep one warm kernel per worker; each side's time includes starting its kernels (the pool's
processes and the cluster's are started before the clock for Dask, with the pool as the
executor starts them: a fresh ``LocalCluster`` costs a few seconds once per run, as a
standing cluster would not).  Throughput = jobs / wall seconds; the ratio is Dask ÷ local.
Results: ``results/dask.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench_render import machine

from kamreport.report.views import Run
from kamreport.run.executor import JobResult, run_dask, run_local
from kamreport.run.job import Job
from kamreport.run.jobs import Selection, plan_jobs
from kamreport.run.session import open_run

RESULTS = Path(__file__).parent / "results"


def jobs_for(params_file: Path, plans: int, reports: bool) -> list[Job]:
    """The company and region reports (with ``reports``), then the first ``plans`` account plans."""
    run: Run = open_run(params_file)
    layout = run.layout()
    chosen = tuple(run.key_accounts[:plans])
    jobs = plan_jobs(run, layout, Selection(accounts=chosen))
    if reports:
        every = plan_jobs(run, layout, Selection())
        jobs = [j for j in every if j.kind in ("company", "region")] + jobs
    return jobs


def timed(results: Any) -> tuple[float, list[JobResult]]:
    """Wall seconds to drain a results iterator, and the results."""
    started = time.perf_counter()
    done = list(results)
    return time.perf_counter() - started, done


def side(name: str, seconds: float, done: list[JobResult], load: tuple[float, float, float]) -> dict[str, Any]:
    """One side of one round: wall, throughput, the jobs' own seconds, failures, the load average."""
    own = [r.seconds for r in done]
    return {
        "side": name,
        "jobs": len(done),
        "failed": {r.job_id: r.error for r in done if r.status != "ok"},
        "wall_seconds": round(seconds, 2),
        "jobs_per_second": round(len(done) / seconds, 3),
        "job_seconds_median": round(statistics.median(own), 3),
        "job_seconds_sum": round(sum(own), 1),
        "workers_seen": len({r.worker for r in done}),
        "load_average_start": [round(x, 2) for x in load],
    }


def main() -> None:
    """Run the comparison and print both sides."""
    import dask.config
    from distributed import LocalCluster

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("params", type=Path)
    parser.add_argument("--plans", type=int, default=40)
    parser.add_argument("--reports", action="store_true", help="also the company and region reports")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", default="dask.json")
    parser.add_argument(
        "--profile", action="store_true", help="keep Dask's statistical profiler on (a 10 ms stack sample per worker)"
    )
    args = parser.parse_args()
    dask.config.set({"distributed.worker.profile.enabled": args.profile})
    jobs = jobs_for(args.params, args.plans, args.reports)
    rounds: list[dict[str, Any]] = []
    for number in range(args.rounds):
        load = os.getloadavg()
        local = side("local", *timed(run_local(jobs, args.workers, reuse_kernels=True)), load)
        started = time.perf_counter()
        with LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            cluster_seconds = time.perf_counter() - started
            load = os.getloadavg()
            dask = side("dask", *timed(run_dask(jobs, cluster.scheduler_address, reuse_kernels=True)), load)
        dask["cluster_start_seconds"] = round(cluster_seconds, 2)
        ratio = dask["jobs_per_second"] / local["jobs_per_second"]
        overhead = (dask["wall_seconds"] - local["wall_seconds"]) * args.workers / len(jobs)
        rounds.append(
            {
                "round": number + 1,
                "local": local,
                "dask": dask,
                "ratio": round(ratio, 3),
                "overhead_seconds_per_job": round(overhead, 3),
            }
        )
        print(
            f"round {number + 1}: {len(jobs)} jobs · local {local['wall_seconds']} s "
            f"({local['jobs_per_second']} jobs/s, load {local['load_average_start'][0]}) · dask "
            f"{dask['wall_seconds']} s ({dask['jobs_per_second']} jobs/s, load {dask['load_average_start'][0]}) "
            f"· ratio {ratio:.2f} · overhead {overhead:+.3f} s per job per worker",
            flush=True,
        )
    result = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "basis": "measured",
        "jobs": len(jobs),
        "workers": args.workers,
        "dask_profiler": args.profile,
        "rounds": rounds,
        "ratio_median": round(statistics.median(r["ratio"] for r in rounds), 3),
        "overhead_seconds_per_job_median": round(statistics.median(r["overhead_seconds_per_job"] for r in rounds), 3),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"ratio (Dask ÷ local jobs/s), median of {len(rounds)}: {result['ratio_median']}  → results/{args.out}")


if __name__ == "__main__":
    main()
