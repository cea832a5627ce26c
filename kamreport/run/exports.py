"""The machine-readable exports of a run: kpis.csv, kpis_history.parquet, accounts.csv, data_quality.csv.

See docs/outputs.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kamreport.compute import Results
from kamreport.files import atomic_target
from kamreport.kpi.engine import LEVELS, LONG_COLUMNS
from kamreport.records import QUALITY_COLUMNS
from kamreport.registry import ACCOUNTS_CSV_COLUMNS

CSV_ENCODING = "utf-8-sig"  # a BOM so that Excel opens Chinese text correctly


def kpis_csv_frame(results: Results) -> pd.DataFrame:
    """kpis.csv in the long format, sorted by period, level (account → company), key, kpi.

    Every trend quarter of the owner, group, region and company levels, and the run's period
    of the accounts (their history is kpis_history.parquet).
    """
    rows = results.kpis.copy()
    rows["_level"] = rows["level"].astype(str).map({lvl: i for i, lvl in enumerate(LEVELS)}).astype(int)
    rows = rows.sort_values(["period", "_level", "key", "kpi"], kind="stable")
    return rows[LONG_COLUMNS].reset_index(drop=True)


def accounts_csv_frame(results: Results) -> pd.DataFrame:
    """One row per account in scope, the columns of docs/outputs.md."""
    return results.accounts[list(ACCOUNTS_CSV_COLUMNS)].sort_values("account_id").reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV atomically: missing values empty, floats unrounded (shortest repr)."""
    with atomic_target(path) as tmp:
        frame.to_csv(tmp, index=False, encoding=CSV_ENCODING, na_rep="")
    return path


def write_exports(results: Results, quality: pd.DataFrame, run_dir: Path) -> dict[str, Path]:
    """Write the CSV exports and the accounts' KPI history (wide: period, account_id, a column per KPI id)."""
    history = run_dir / "kpis_history.parquet"
    with atomic_target(history) as tmp:
        results.history.to_parquet(tmp, index=False)
    return {
        "kpis": write_csv(kpis_csv_frame(results), run_dir / "kpis.csv"),
        "kpis_history": history,
        "accounts": write_csv(accounts_csv_frame(results), run_dir / "accounts.csv"),
        "data_quality": write_csv(quality[QUALITY_COLUMNS], run_dir / "data_quality.csv"),
    }
