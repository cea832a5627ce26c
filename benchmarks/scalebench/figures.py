"""From raw timings and RSS samples to the figures of record: stages, jobs, ratios, targets."""

from __future__ import annotations

import os
import platform
import statistics
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from scalebench.child import ChildRun
from scalebench.memory import mib, peak_between, psutil

DATA_STAGES = ("fingerprint", "load_validate", "aggregate", "compute", "store")
PACK_STAGES = ("exports", "render", "publish")
KINDS = ("company", "region", "group", "account")

# issue 9's targets
DEMO_PACK_SECONDS = 60.0
PLAN_MEDIAN_SECONDS = 1.0
LVA_SECONDS_10M = 15.0
PEAK_GIB_10M = 3.0
SPEEDUP = {"1m": 3.0, "10m": 10.0}


def job_stats(seconds: list[float]) -> dict[str, float | int]:
    """Count, sum, mean, median, p90 and max of job seconds."""
    if not seconds:
        return {"n": 0}
    ordered = sorted(seconds)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[8] if len(ordered) > 1 else ordered[0]
    return {
        "n": len(ordered),
        "sum": round(sum(ordered), 3),
        "mean": round(statistics.fmean(ordered), 3),
        "median": round(statistics.median(ordered), 3),
        "p90": round(p90, 3),
        "max": round(ordered[-1], 3),
    }


def by_kind(jobs: list[dict[str, Any]]) -> dict[str, dict[str, float | int]]:
    """:func:`job_stats` per job kind (successful jobs only) and over all of them."""
    ok = [j for j in jobs if j["status"] == "ok"]
    stats = {k: job_stats([j["seconds"] for j in ok if j["kind"] == k]) for k in KINDS}
    stats = {k: v for k, v in stats.items() if v["n"]}
    stats["all"] = job_stats([j["seconds"] for j in ok])
    return stats


# --------------------------------------------------------------------------- kamreport


def kamreport_figures(pack: ChildRun, reads: ChildRun) -> dict[str, Any]:
    """Every kamreport figure of one size: stages with peaks, reading alone, jobs, end to end."""
    result = pack.result
    first = result["runs"][0]
    jobs = [j for r in result["runs"] for j in r["jobs"]]
    stages = {name: _stage(pack, first["label"], name, first["stage_seconds"].get(name)) for name in DATA_STAGES}
    for run in result["runs"]:
        for name in PACK_STAGES:
            key = name if len(result["runs"]) == 1 else f"{name} [{run['label']}]"
            stages[key] = _stage(pack, run["label"], name, run["manifest_stages"].get(name))
    kinds = by_kind(jobs)
    figures: dict[str, Any] = {
        "sales_lines": result["tables"]["sales"]["rows_read"],
        "mode": result["mode"],
        "workers": result["workers"],
        "regions": len(result["regions"]),
        "key_accounts": result["key_accounts"],
        "groups": result["groups"],
        "stages": stages,
        "load_validate_aggregate_seconds": round(
            stages["load_validate"]["seconds"] + stages["aggregate"]["seconds"], 3
        ),
        "data_pass_peak_mib": max(s["parent_peak_mib"] or 0 for n, s in stages.items() if n in DATA_STAGES),
        "render_tree_peak_mib": _render_peak(pack),
        "whole_run_tree_peak_mib": mib(max((s.total for s in pack.samples), default=0)),
        "reading_alone": _reading(reads.result),
        "tables": result["tables"],
        "jobs": kinds,
        "jobs_failed": [j for j in jobs if j["status"] != "ok"],
        "job_seconds": {j["id"]: j["seconds"] for j in jobs},
        "runs": [{k: r[k] for k in ("label", "wall_seconds", "exit_code", "results_reused")} for r in result["runs"]],
        "peaks_exact": result["exact_peaks"],
    }
    figures["end_to_end"] = _kam_end_to_end(result, kinds)
    figures["render"] = _kam_render(result, kinds)
    return figures


def _stage(pack: ChildRun, run: str, name: str, seconds: float | None) -> dict[str, Any]:
    marks = [m for m in pack.result["marks"] if m["run"] == run and m["name"] == name]
    if not marks:
        return {"seconds": seconds or 0.0, "parent_peak_mib": None, "tree_peak_mib": None}
    start, end = min(m["start"] for m in marks), max(m["end"] for m in marks)
    own, total = peak_between(pack.samples, start, end)
    exact = [m["peak_bytes"] for m in marks if m["peak_bytes"] is not None]
    return {
        "seconds": seconds if seconds is not None else round(end - start, 3),
        "parent_peak_mib": mib(max(exact)) if exact else mib(own),
        "tree_peak_mib": mib(max(total, own)),
    }


def _render_peak(pack: ChildRun) -> float:
    spans = [(m["start"], m["end"]) for m in pack.result["marks"] if m["name"] == "render"]
    return max((mib(peak_between(pack.samples, a, b)[1]) for a, b in spans), default=0.0)


def _reading(reads: dict[str, Any]) -> dict[str, Any]:
    sales = reads["tables"]["sales"]
    return {
        "sales_seconds": sales["seconds"],
        "sales_peak_mib": mib(sales["peak_bytes"]) if sales["peak_bytes"] is not None else None,
        "all_tables_seconds": reads["all_tables_seconds"],
        "tables": {k: {"seconds": v["seconds"], "rows": v["rows"]} for k, v in reads["tables"].items()},
    }


def _kam_render(result: dict[str, Any], kinds: dict[str, Any]) -> dict[str, Any]:
    runs = result["runs"]
    measured = round(sum(r["manifest_stages"].get("render", 0.0) for r in runs), 3)
    render: dict[str, Any] = {"measured_seconds": measured, "jobs": kinds["all"]["n"], "basis": "measured"}
    if result["mode"] == "subset":
        render.update(
            basis="extrapolated",
            plans_rendered=kinds.get("account", {}).get("n", 0),
            plans_total=result["key_accounts"] + result["groups"],
            extrapolated_seconds=_full_render(result, kinds),
        )
    return render


def _full_render(result: dict[str, Any], kinds: dict[str, Any]) -> float:
    """Render of company and regions as measured, plus every plan (key accounts and groups) at the median plan cost."""
    first = result["runs"][0]["manifest_stages"].get("render", 0.0)
    plans = result["key_accounts"] + result["groups"]
    median = kinds.get("account", {}).get("median", 0.0)
    return round(first + median * plans / max(1, result["workers"]), 3)


def _kam_end_to_end(result: dict[str, Any], kinds: dict[str, Any]) -> dict[str, Any]:
    runs = result["runs"]
    measured = round(sum(r["wall_seconds"] for r in runs), 3)
    if result["mode"] != "subset":
        return {"seconds": measured, "basis": "measured", "measured_seconds": measured}
    first = runs[0]
    extra = _full_render(result, kinds) - first["manifest_stages"].get("render", 0.0)
    return {
        "seconds": round(first["wall_seconds"] + extra, 3),
        "basis": "extrapolated",
        "measured_seconds": measured,
        "how": "first run (data stages, company and region reports, publish) as measured, plus every plan "
        "(key accounts and groups) at the median plan's seconds divided by the workers",
    }


# --------------------------------------------------------------------------- baseline


def baseline_figures(run: ChildRun, regions: int, key_accounts: int) -> dict[str, Any]:
    """The baseline's jobs, wall seconds and peak; extrapolated to every region and key account when sampled."""
    result = run.result
    jobs = result["jobs"]
    kinds = by_kind(jobs)
    wall = result["wall_seconds"]
    total_jobs = regions + key_accounts
    figures: dict[str, Any] = {
        "jobs": kinds,
        "jobs_run": len(jobs),
        "jobs_total": total_jobs,
        "jobs_failed": [{"id": j["id"], "error": j["error"]} for j in jobs if j["status"] != "ok"],
        "retried": [j["id"] for j in jobs if j.get("attempts", 1) > 1],
        "execute_seconds": job_stats([j["execute_seconds"] for j in jobs if j["status"] == "ok"]),
        "convert_seconds": job_stats([j["convert_seconds"] for j in jobs if j["status"] == "ok"]),
        "measured_seconds": wall,
        "tree_peak_mib": mib(max((s.total for s in run.samples), default=0)),
        "job_seconds": {j["id"]: j["seconds"] for j in jobs},
    }
    if len(jobs) >= total_jobs:
        figures["end_to_end"] = {"seconds": wall, "basis": "measured"}
        return figures
    measured_job_seconds = sum(j["seconds"] for j in jobs)
    estimate = _estimated_job_seconds(kinds, regions, key_accounts)
    figures["end_to_end"] = {
        "seconds": round(wall * estimate / measured_job_seconds, 3) if measured_job_seconds else None,
        "basis": "extrapolated",
        "how": f"measured wall of {len(jobs)} jobs × (every job at its kind's mean seconds) "
        "/ (the sample's job seconds)",
    }
    return figures


def _estimated_job_seconds(kinds: dict[str, Any], regions: int, key_accounts: int) -> float:
    fallback = kinds["all"].get("mean", 0.0)
    region = kinds.get("region", {}).get("mean", fallback)
    account = kinds.get("account", {}).get("mean", fallback)
    return region * regions + account * key_accounts


# --------------------------------------------------------------------------- comparison and targets


def comparison(kam: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any] | None:
    """Baseline end to end / kamreport end to end, each with its basis."""
    if base is None or not base["end_to_end"]["seconds"]:
        return None
    k, b = kam["end_to_end"], base["end_to_end"]
    return {
        "kamreport_seconds": k["seconds"],
        "kamreport_basis": k["basis"],
        "baseline_seconds": b["seconds"],
        "baseline_basis": b["basis"],
        "ratio": round(b["seconds"] / k["seconds"], 2),
    }


def targets(size: str, kam: dict[str, Any], compared: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each issue-9 target that this size measures, with its figure and whether it is met."""
    found = []
    plan = kam["jobs"].get("account", {}).get("median")
    if plan is not None:
        found.append(_target("account plan median seconds", "≤", PLAN_MEDIAN_SECONDS, plan, "measured"))
    if size == "300k":
        e2e = kam["end_to_end"]
        found.append(_target("demo pack end to end seconds", "≤", DEMO_PACK_SECONDS, e2e["seconds"], e2e["basis"]))
    if size == "10m":
        found.append(
            _target("load + validate + aggregate seconds", "≤", LVA_SECONDS_10M, kam["load_validate_aggregate_seconds"])
        )
        peak_gib = round(kam["data_pass_peak_mib"] / 1024, 2)
        found.append(_target("peak memory GiB (data stages)", "≤", PEAK_GIB_10M, peak_gib))
    if size in SPEEDUP and compared is not None:
        basis = "extrapolated" if "extrapolated" in (compared["kamreport_basis"], compared["baseline_basis"]) else ""
        found.append(_target("baseline / kamreport", "≥", SPEEDUP[size], compared["ratio"], basis or "measured"))
    return found


def _target(name: str, op: str, limit: float, value: float, basis: str = "measured") -> dict[str, Any]:
    met = value <= limit if op == "≤" else value >= limit
    return {"target": f"{name} {op} {limit:g}", "measured": value, "basis": basis, "met": met}


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """Cores, memory, CPU, Python and the versions of the packages that shape the figures."""
    from kamreport.run.manifest import package_versions

    versions = package_versions()
    for extra in ("psutil", "jupyter_client", "ipykernel"):
        try:
            versions[extra] = version(extra)
        except PackageNotFoundError:
            versions[extra] = "not installed"
    return {
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _memory_gib() -> float:
    if psutil is not None:
        return round(psutil.virtual_memory().total / 2**30, 1)
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 2**20, 1)
    return 0.0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()
