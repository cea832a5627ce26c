"""One run at a time per run folder: the second stops at once with exit code 2, naming the holder."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest
from builders import write_params

from kamreport.errors import InputError, RunLockedError
from kamreport.run.lock import LOCK_FILE, run_lock


def test_the_lock_is_reentrant_in_its_process_and_names_its_holder(tmp_path):
    run_dir = tmp_path / "out" / "2026Q3"
    with run_lock(run_dir):
        assert (run_dir / LOCK_FILE).read_text(encoding="utf-8").strip() == str(os.getpid())
        with run_lock(run_dir):  # the command line holds it, the pack takes it again
            pass
        with open(run_dir / LOCK_FILE, "rb") as other, pytest.raises(BlockingIOError):  # what another process meets
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(run_dir / LOCK_FILE, "rb") as other:  # released at the end of the outer block
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert issubclass(RunLockedError, InputError)


def test_a_second_run_on_the_same_folder_exits_2_naming_the_first(tmp_path):
    (tmp_path / "a.csv").write_text("account_id,account_name,region,owner\nA1,x,East,Li\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("date,account_id,revenue\n2026-07-01,A1,5\n", encoding="utf-8")
    params = write_params(tmp_path, {"accounts": tmp_path / "a.csv", "sales": tmp_path / "s.csv"})
    with run_lock(tmp_path / "out" / "2026Q3"):  # this test process plays the first run
        second = subprocess.run(
            [sys.executable, "-m", "kamreport.cli", "run", str(params), "--only", "data"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert second.returncode == 2, second.stderr
    assert f"is in use by another kamreport command (process {os.getpid()})" in second.stderr.replace("\n", " ")
    assert not (tmp_path / "out" / "2026Q3" / "kpis.csv").exists()
