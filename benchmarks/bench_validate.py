"""Time loading and validating 1,000,000 sales lines; print seconds and peak memory.

    .venv/bin/python benchmarks/bench_validate.py [--lines 1000000] [--format csv|parquet]

The demo generator writes accounts and sales (about 480 sales lines per account over three
years); the params name just those two tables, so the figure is the sales table's cost.
Each format is measured in a fresh process so that peak memory is the validation's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINES_PER_ACCOUNT = 480  # the demo data's average over three years (291,587 lines / 600 accounts)


def make_data(folder: Path, lines: int, fmt: str) -> Path:
    """Demo data with about ``lines`` sales lines, and a params file naming accounts and sales."""
    from kamreport.demo import write_demo, write_demo_params

    data = folder / f"{fmt}-{lines}"
    if not (data / f"sales.{fmt}").is_file():
        write_demo(data, n_accounts=max(20, lines // LINES_PER_ACCOUNT), fmt=fmt)
    return write_demo_params(data / "params.yaml", data, folder / "out", fmt=fmt, tables=("accounts", "sales"))


def measure(params_file: str) -> dict[str, float]:
    """Load and validate in this process; seconds and peak resident memory."""
    from kamreport.data.validate import load_and_validate
    from kamreport.params import load_params

    started = time.perf_counter()
    result = load_and_validate(load_params(params_file))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_mb), "sales_lines": result.reports["sales"].rows_read}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], action="append")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    for fmt in args.format or ["csv", "parquet"]:
        params = make_data(args.data_dir, args.lines, fmt)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(params)], capture_output=True, text=True, check=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        lines = f"{figures['sales_lines']:>10,} sales lines"
        print(f"{fmt:8s} {lines}: load + validate {figures['seconds']:6.2f} s, peak {figures['peak_mb']:,} MB")


if __name__ == "__main__":
    main()
