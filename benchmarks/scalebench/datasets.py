"""The benchmark datasets (demo data as CSV exports) and the params file that reads them."""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from kamreport.demo import DEMO_TABLES, write_demo

# size label → demo accounts (sales lines scale linearly: ≈ 480 per account over 3 years)
SIZES: dict[str, int] = {"300k": 600, "1m": 2100, "10m": 21000}
YEARS = 3
SEED = 7
PERIOD = "2026Q3"
MARKER = "dataset.json"


@dataclass(frozen=True)
class Dataset:
    """One size's CSV exports."""

    size: str
    accounts: int
    csv_dir: Path
    generated_seconds: float | None  # None when reused

    def as_dict(self) -> dict[str, Any]:
        """For the results JSON: what was read, and its bytes per table."""
        return {
            "size": self.size,
            "accounts": self.accounts,
            "years": YEARS,
            "seed": SEED,
            "csv_dir": str(self.csv_dir),
            "generated_seconds": self.generated_seconds,
            "csv_bytes": {t: (self.csv_dir / f"{t}.csv").stat().st_size for t in DEMO_TABLES},
        }


def ensure_dataset(data_dir: Path, size: str) -> Dataset:
    """The CSV exports of ``size`` under ``data_dir/<size>/csv``, written unless already there.

    A folder is reused only when its marker says it holds the same accounts, years and seed
    and every table's file is present.
    """
    accounts = SIZES[size]
    csv_dir = (data_dir / size / "csv").resolve()
    wanted = {"accounts": accounts, "years": YEARS, "seed": SEED, "end": PERIOD}
    if _complete(csv_dir, wanted):
        return Dataset(size, accounts, csv_dir, None)
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:  # keep its memory out of this process
        pool.submit(write_demo, csv_dir, n_accounts=accounts, years=YEARS, seed=SEED, end=PERIOD, fmt="csv").result()
    mark_complete(csv_dir, wanted)
    return Dataset(size, accounts, csv_dir, round(time.perf_counter() - started, 1))


def mark_complete(csv_dir: Path, spec: dict[str, Any]) -> None:
    """Write the marker that lets later runs reuse ``csv_dir``."""
    (csv_dir / MARKER).write_text(json.dumps(spec), encoding="utf-8")


def _complete(csv_dir: Path, wanted: dict[str, Any]) -> bool:
    marker = csv_dir / MARKER
    if not marker.is_file() or json.loads(marker.read_text(encoding="utf-8")) != wanted:
        return False
    return all((csv_dir / f"{t}.csv").is_file() for t in DEMO_TABLES)


def write_params(path: Path, csv_dir: Path, output_dir: Path, workers: int, account_plans: bool = True) -> Path:
    """A params file naming every demo table's CSV."""
    from kamreport.demo import write_demo_params

    render = {"workers": workers, "account_plans": account_plans}
    return write_demo_params(path, csv_dir, output_dir, fmt="csv", period=PERIOD, render=render)
