"""Compare two run folders' kpis.csv, accounts.csv and data_quality.csv: equal, or how they differ.

    .venv/bin/python benchmarks/compare_outputs.py BEFORE_DIR AFTER_DIR [--rtol 1e-9]

Text cells must be equal; numbers equal within ``rtol`` (DuckDB sums doubles in parallel, so
the last bits of a sum depend on how the lines were split between threads — run to run, too).
data_quality.csv is compared with the ``source_file`` paths reduced to their file names (the
two runs may read copies of the same files from different folders).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

FILES = ("kpis.csv", "accounts.csv", "data_quality.csv")


def compare(before: Path, after: Path, rtol: float) -> list[str]:
    problems: list[str] = []
    for name in FILES:
        a = pd.read_csv(before / name, dtype=str, keep_default_na=False)
        b = pd.read_csv(after / name, dtype=str, keep_default_na=False)
        if name == "data_quality.csv":
            for frame in (a, b):
                frame["source_file"] = frame["source_file"].map(lambda p: Path(p.split(":")[0]).name if p else p)
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            same_columns = list(a.columns) == list(b.columns)
            problems.append(f"{name}: shape {a.shape} vs {b.shape}, columns equal: {same_columns}")
            continue
        for column in a.columns:
            x, y = a[column], b[column]
            if x.equals(y):
                continue
            nx, ny = pd.to_numeric(x, errors="coerce"), pd.to_numeric(y, errors="coerce")
            numeric = nx.notna() & ny.notna()
            text_differs = (~numeric) & (x != y)
            close = np.isclose(nx[numeric], ny[numeric], rtol=rtol, atol=0)
            if text_differs.any() or not close.all():
                rows = list(np.flatnonzero(text_differs | (numeric & ~np.isclose(nx, ny, rtol=rtol, atol=0))))[:3]
                examples = [(x[r], y[r]) for r in rows]
                problems.append(f"{name}: column {column} differs in {len(rows)}+ rows, e.g. {examples}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rtol", type=float, default=1e-9)
    args = parser.parse_args()
    problems = compare(args.before, args.after, args.rtol)
    for line in problems:
        print(line)
    print("equal" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
