"""Seconds (and peak memory) to write one regional workbook, for 200 and 5,000 demo accounts.

Target: the largest region of 5,000 accounts in at most 2 s.  The demo data and its results
are made once per size (in ``--dir``, reused by later runs); only ``write_workbook`` is timed.

    python benchmarks/bench_workbook.py [--sizes 200 5000] [--repeat 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from kamreport.demo import write_demo, write_demo_params
from kamreport.params import load_params
from kamreport.report.chapters import report_sections
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.views import Run
from kamreport.run.store import load_or_compute

TARGET_SECONDS = 2.0


def prepare(folder: Path, n_accounts: int) -> Run:
    """Demo data of ``n_accounts`` in ``folder``, computed (or reused) as a run."""
    data = folder / "data"
    if not (data / "sales.parquet").is_file():
        write_demo(data, n_accounts=n_accounts)
    path = write_demo_params(folder / "params.yaml", data, folder / "output")
    return Run(load_or_compute(load_params(path)), "en")


def largest_region(run: Run) -> str:
    """The region with the most accounts."""
    return str(run.accounts["region"].value_counts().idxmax())


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench(run: Run, region: str, out: Path, repeat: int) -> dict[str, float]:
    """Seconds of the first write (cold: the run's KPI tables are built on first use), of later
    writes (best and median), of building the sections alone, and the peak traced MiB of a write.
    """
    cold = timed(lambda: write_workbook(run.region(region), out / "kam_cold.xlsx"))
    warm = [timed(lambda: write_workbook(run.region(region), out / "kam_warm.xlsx")) for _ in range(repeat)]
    sections = [timed(lambda: report_sections(run.region(region))) for _ in range(repeat)]
    tracemalloc.start()
    write_workbook(run.region(region), out / "kam_traced.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "cold": cold,
        "best": min(warm),
        "median": statistics.median(warm),
        "sections": statistics.median(sections),
        "peak_mib": peak / 2**20,
        "kib": (out / "kam_warm.xlsx").stat().st_size / 2**10,
    }


def main() -> None:
    """Run the benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "kamreport-bench-workbook")
    args = parser.parse_args()
    for n in args.sizes:
        folder = args.dir / f"accounts_{n}"
        folder.mkdir(parents=True, exist_ok=True)
        run = prepare(folder, n)
        region = largest_region(run)
        accounts = int((run.accounts["region"] == region).sum())
        r = bench(run, region, folder / "output", args.repeat)
        verdict = "met" if r["best"] <= TARGET_SECONDS else "missed"
        print(
            f"{n:>6} accounts, region {region} ({accounts} accounts): first write {r['cold']:.2f} s, "
            f"then best {r['best']:.2f} s / median {r['median']:.2f} s "
            f"(building the sections {r['sections']:.2f} s of it); "
            f"peak {r['peak_mib']:.0f} MiB traced; {r['kib']:.0f} KiB"
            + (f"; target ≤ {TARGET_SECONDS:.0f} s {verdict}" if n >= 5000 else "")
        )


if __name__ == "__main__":
    main()
