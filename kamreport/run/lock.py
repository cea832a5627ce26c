"""One command at a time in a run folder: an advisory lock on ``<run_dir>/.lock``.

``kamreport run`` and ``kamreport mail`` both write into the run folder; two of them at once
would mix one run's reports with another's drafts.  The lock is ``flock`` on a file in the
folder, so it is released by the kernel when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from kamreport.errors import RunLockedError

LOCK_FILE = ".lock"


@contextlib.contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold the run folder's lock for the block.

    Raises
    ------
    RunLockedError
        Another process holds it (the message names the folder and what to do).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / LOCK_FILE
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RunLockedError(
                f"{run_dir} is in use by another kamreport command (lock file {path}); "
                "wait for it to finish, then try again"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
