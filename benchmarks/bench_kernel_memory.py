"""Issue 18: one warm render kernel's memory through a quarter's job order (company, regions, plans).

    .venv/bin/python benchmarks/bench_kernel_memory.py RUN_DIR --plans 40 --label 10m

``RUN_DIR`` is a run folder whose results store this code made (``kamreport run PARAMS --only
data`` first, with the same kamreport: other code finds the store stale and its kernel
computes the results again).  The jobs go through ``render_job`` in this process, as a render
worker runs them — one kernel kept warm — in the order ``kamreport run`` sends them: the
company, every region, then the plans of the first N key accounts.  After each job the
kernel's RSS, PSS and USS (``/proc/PID/smaps_rollup``) are read.  What it shows that
``bench_render.py --plans N`` does not: a kernel that rendered the company and region reports
and then thousands of plans, as in the quarter end to end.  Results:
``results/kernel-memory-<label>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_render import RESULTS, machine
from scalebench.memory import cpu_seconds, mib, pss_uss


def rss(pid: int) -> int:
    """Resident set of ``pid`` in bytes."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    """Render the company, the regions and N plans in one warm kernel; the kernel's memory after each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--plans", type=int, default=40)
    parser.add_argument("--label", default="sample")
    args = parser.parse_args()

    from kamreport.data.inputs import fingerprint_inputs
    from kamreport.report.views import Run
    from kamreport.run import executor
    from kamreport.run.jobs import Selection, plan_jobs
    from kamreport.run.session import run_params
    from kamreport.run.store import RESULTS_DIR, _read_inputs, _stored_key, load_or_compute, results_key

    params = run_params(args.run_dir)
    store = params.run_dir / RESULTS_DIR
    if results_key(params, fingerprint_inputs(params, _read_inputs(store))) != _stored_key(store):
        raise SystemExit(f"{args.run_dir}: the store was not made by this code; run `kamreport run --only data` first")
    computed = load_or_compute(params)
    run = Run(computed, params.language)
    jobs = plan_jobs(run, run.layout(), Selection(outputs=("xlsx", "html")))
    chosen = [j for j in jobs if j.kind in ("company", "region")] + [j for j in jobs if j.kind == "account"][
        : args.plans
    ]
    del computed, run
    result: dict[str, Any] = {"machine": machine(), "basis": "measured", "run_dir": str(args.run_dir), "jobs": []}
    for job in chosen:
        outcome = executor.render_job(job)
        assert executor._SESSION is not None and executor._SESSION.km is not None
        pid = executor._SESSION.km.provisioner.pid
        pss, uss = pss_uss(pid)
        result["jobs"].append(
            {
                "id": job.id,
                "status": outcome.status,
                "seconds": outcome.seconds,
                "rss_mib": mib(rss(pid)),
                "pss_mib": mib(pss),
                "uss_mib": mib(uss),
                "kernel_cpu_s": round(cpu_seconds(pid), 2),
            }
        )
        print(json.dumps(result["jobs"][-1]), flush=True)
    plans = [j for j in result["jobs"] if j["id"].startswith("account:")]
    reports = [j for j in result["jobs"] if not j["id"].startswith("account:")]
    result["summary"] = {
        "after_reports_rss_mib": reports[-1]["rss_mib"] if reports else None,
        "plans_rss_mib_last": plans[-1]["rss_mib"] if plans else None,
        "plans_pss_mib_last": plans[-1]["pss_mib"] if plans else None,
        "plans_uss_mib_last": plans[-1]["uss_mib"] if plans else None,
        "plans_rss_mib_max": max((j["rss_mib"] for j in plans), default=None),
        "plan_seconds_median": statistics.median(j["seconds"] for j in plans) if plans else None,
        "failed": [j["id"] for j in result["jobs"] if j["status"] != "ok"],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }
    executor._SESSION.shutdown()
    out = RESULTS / f"kernel-memory-{args.label}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result["summary"], indent=1))
    print(f"→ {out}")


if __name__ == "__main__":
    main()
