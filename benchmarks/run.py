"""Scale benchmark (issue 9): kamreport's stages and an analyst's notebooks, per dataset size.

    .venv/bin/python benchmarks/run.py [--sizes 300k,1m,10m] [--baseline-sample N]
                                       [--plans-limit N] [--workers 2] [--data-dir DIR]

For each size it makes (or reuses) the demo data as CSV exports, runs the whole kamreport
pack on them in a child process — sampling the RSS of that process and of its render
workers and kernels — then the baseline notebooks on the same files, prints the figures and
writes ``benchmarks/results/<size>.json`` and ``benchmarks/results/summary.json``.
See benchmarks/README.md for what each figure means.  Speed is measured here, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the scalebench modules, here and in the spawned children

from scalebench import baseline, figures, kam  # noqa: E402
from scalebench.child import run_in_child  # noqa: E402
from scalebench.datasets import PERIOD, SIZES, Dataset, ensure_dataset  # noqa: E402
from scalebench.tables import size_report, summary_report  # noqa: E402

RESULTS = HERE / "results"
# defaults per size: plans rendered (None = all) and baseline jobs run (None = all)
PLANS_LIMIT: dict[str, int | None] = {"300k": None, "1m": None, "10m": 200}
BASELINE_SAMPLE: dict[str, int | None] = {"300k": None, "1m": 12, "10m": 12}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300k,1m,10m", help=f"comma list of {', '.join(SIZES)}")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=None,
        help="baseline jobs to run (default: all at 300k, 12 at 1m and 10m); 0 skips the baseline",
    )
    parser.add_argument(
        "--plans-limit", type=int, default=None, help="account plans to render (default: all; 200 at 10m)"
    )
    parser.add_argument("--workers", type=int, default=2, help="parallel render jobs, for both sides")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data", help="where the datasets and outputs go")
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = sorted(set(args.sizes) - set(SIZES))
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; sizes are {', '.join(SIZES)}")
    return args


def bench_size(size: str, args: argparse.Namespace) -> dict[str, Any]:
    """Both sides on one size: every figure, as written to ``results/<size>.json``."""
    dataset = ensure_dataset(args.data_dir, size)
    work = args.data_dir / size
    plans_limit = args.plans_limit if args.plans_limit is not None else PLANS_LIMIT[size]
    print(f"[{size}] kamreport pack on {dataset.csv_dir} …", flush=True)
    pack = run_in_child(
        kam.run_pack,
        csv_dir=str(dataset.csv_dir),
        work_dir=str(work / "kamreport"),
        workers=args.workers,
        plans_limit=plans_limit,
    )
    print(f"[{size}] reading alone …", flush=True)
    reads = run_in_child(kam.time_reads, params_file=str(work / "kamreport" / "params.yaml"))
    kam_figures = figures.kamreport_figures(pack, reads)
    base_figures = run_baseline(size, dataset, pack.result, args)
    compared = figures.comparison(kam_figures, base_figures)
    return {
        "size": size,
        "measured_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "machine": figures.machine(),
        "dataset": dataset.as_dict(),
        "kamreport": kam_figures,
        "baseline": base_figures,
        "comparison": compared,
        "targets": figures.targets(size, kam_figures, compared),
    }


def run_baseline(size: str, dataset: Dataset, pack: dict[str, Any], args: argparse.Namespace) -> dict[str, Any] | None:
    """The baseline notebooks for this size's regions and key accounts (from kamreport's accounts.csv)."""
    sample = args.baseline_sample if args.baseline_sample is not None else BASELINE_SAMPLE[size]
    if sample == 0:
        return None
    regions, key_accounts = pack_scope(Path(pack["run_dir"]))
    jobs = baseline.choose_jobs(regions, key_accounts, sample)
    print(f"[{size}] baseline: {len(jobs)} of {len(regions) + len(key_accounts)} notebooks …", flush=True)
    run = run_in_child(
        baseline.run_baseline,
        csv_dir=str(dataset.csv_dir),
        out_dir=str(args.data_dir / size / "baseline"),
        jobs=jobs,
        workers=args.workers,
        period=PERIOD,
    )
    return figures.baseline_figures(run, len(regions), len(key_accounts))


def pack_scope(run_dir: Path) -> tuple[list[str], list[str]]:
    """Regions and key accounts (largest revenue first, as kamreport orders its plans) of a run's accounts.csv."""
    accounts = pd.read_csv(run_dir / "accounts.csv", dtype={"account_id": str, "region": str})
    regions = sorted(accounts["region"].dropna().unique())
    key = accounts[accounts["key_account"].astype(str).str.lower().isin(["true", "1"])]
    key = key.sort_values(["revenue_t4q", "account_id"], ascending=[False, True])
    return regions, key["account_id"].tolist()


def write_results(doc: dict[str, Any]) -> Path:
    """``results/<size>.json``."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{doc['size']}.json"
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_summary() -> dict[str, Any]:
    """``results/summary.json`` from every ``results/<size>.json`` present (sizes may be run separately)."""
    sizes: dict[str, Any] = {}
    machine: dict[str, Any] = {}
    for size in SIZES:
        path = RESULTS / f"{size}.json"
        if path.is_file():
            doc = json.loads(path.read_text(encoding="utf-8"))
            sizes[size] = headline(doc)
            machine = doc["machine"]
    summary = {"written": datetime.now().isoformat(timespec="seconds"), "machine": machine, "sizes": sizes}
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def headline(doc: dict[str, Any]) -> dict[str, Any]:
    """The figures of one size that the summary keeps."""
    kam_figures, compared = doc["kamreport"], doc.get("comparison") or {}
    return {
        "measured_at": doc["measured_at"],
        "sales_lines": kam_figures["sales_lines"],
        "load_validate_aggregate_seconds": kam_figures["load_validate_aggregate_seconds"],
        "data_pass_peak_mib": kam_figures["data_pass_peak_mib"],
        "render_tree_peak_mib": kam_figures["render_tree_peak_mib"],
        "plan_median_seconds": kam_figures["jobs"].get("account", {}).get("median"),
        "kamreport_seconds": kam_figures["end_to_end"]["seconds"],
        "kamreport_basis": kam_figures["end_to_end"]["basis"],
        "baseline_seconds": compared.get("baseline_seconds"),
        "baseline_basis": compared.get("baseline_basis"),
        "ratio": compared.get("ratio"),
        "targets": doc["targets"],
    }


def main(argv: list[str] | None = None) -> int:
    """Run every size asked for; print and write the figures."""
    args = parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    for size in args.sizes:
        doc = bench_size(size, args)
        print(size_report(doc), flush=True)
        print(f"\nwritten: {write_results(doc)}", flush=True)
    print(summary_report(write_summary()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
