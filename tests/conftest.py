"""Shared fixtures: a small demo run computed once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kamreport.demo import write_demo
from kamreport.demo import write_demo_params as demo_params
from kamreport.params import load_params
from kamreport.report.views import Run
from kamreport.run.store import load_or_compute

ROOT = Path(__file__).resolve().parents[1]
SMALL_DEMO_ACCOUNTS = 150


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep ``--dist loadgroup`` grouping on pytest 9 (pytest-xdist#1386).

    xdist tells its scheduler an item's ``xdist_group`` by appending ``@group`` to the node id,
    but it writes the old ``_nodeid`` field, which pytest 9 no longer reads: every group was
    spread over both workers, and each worker built the group's module and session fixtures
    (the pack, the mail folder, the SQL servers) again.  This writes the suffix where pytest 9
    keeps the id; a pytest or xdist that does it already is left alone.
    """
    if not getattr(config.option, "loadgroup", False):  # only set on xdist workers under loadgroup
        return
    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        suffix = f"@{'_'.join(sorted(names))}"
        if names and not item.nodeid.endswith(suffix):
            node: Any = item
            node._id = type(node._id).parse(f"{item.nodeid}{suffix}")


def write_demo_params(folder: Path, n_accounts: int = SMALL_DEMO_ACCOUNTS, **values: object) -> Path:
    """Demo data of ``n_accounts`` in ``folder/data`` and a params file naming every table."""
    data = folder / "data"
    if not (data / "sales.parquet").is_file():
        write_demo(data, n_accounts=n_accounts)
    return demo_params(folder / "params.yaml", data, folder / "output", **values)


@pytest.fixture(scope="session")
def demo_params_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Params of a small demo dataset (150 accounts), written once per session."""
    return write_demo_params(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def full_demo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The demo dataset at its shipped size (600 accounts), computed once per session, in English.

    For what is judged on the demo as a user gets it: the page budget, the plans' coverage.
    """
    folder = tmp_path_factory.mktemp("full")
    write_demo(folder / "data")
    params = demo_params(folder / "params.yaml", folder / "data", folder / "output")
    return Run(load_or_compute(load_params(params)), "en")


@pytest.fixture(scope="session")
def demo_duckdb_params(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same small demo dataset in a DuckDB file (data/kam.duckdb), and params reading it by SQL."""
    folder = tmp_path_factory.mktemp("demo_duckdb")
    write_demo(folder / "data", n_accounts=SMALL_DEMO_ACCOUNTS, fmt="duckdb")
    return demo_params(folder / "params.yaml", folder / "data", folder / "output", fmt="duckdb")


@pytest.fixture(scope="session")
def demo_computed(demo_params_file: Path):  # type: ignore[no-untyped-def]
    """The small demo dataset, validated and computed once per session."""
    return load_or_compute(load_params(demo_params_file))


@pytest.fixture(scope="session")
def demo_run(demo_computed) -> Run:  # type: ignore[no-untyped-def]
    """The small demo run in English."""
    return Run(demo_computed, "en")


@pytest.fixture(scope="session")
def demo_run_zh(demo_computed) -> Run:  # type: ignore[no-untyped-def]
    """The small demo run in Chinese."""
    return Run(demo_computed, "zh")
