"""One command at a time per run folder: an exclusive lock on ``<run_dir>/.lock``.

``kamreport run`` and ``kamreport mail`` both write into the run folder; two at once would
mix their reports, their results store, their run.json or their drafts.  The lock is an
``flock`` (``LockFileEx`` on Windows through ``msvcrt``): the operating system releases it
when the holder exits, also after ``kill -9``, so a stale lock never blocks the next run.
The holder writes its pid into the file; a second command reads it and stops at once
(exit 2) naming the process.  Within one process the lock is re-entrant: the command line
takes it before the heavy imports, and the pack (or the drafts of ``run --mail``) take it again.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kamreport.errors import InputError, RunLockedError

LOCK_FILE = ".lock"
# Run folders this process holds, with how many ``with`` blocks hold each.
_HELD: dict[Path, int] = {}


def run_lock(run_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the run folder's lock for the ``with`` block (the folder is created if missing).

    Parameters
    ----------
    run_dir
        The run folder (``<output_dir>/<run>``).

    Raises
    ------
    RunLockedError
        Another process holds the lock; the message names its pid.
    InputError
        The folder cannot be created or written (read-only, no permission).
    """
    return _held(Path(run_dir))


@contextlib.contextmanager
def _held(run_dir: Path) -> Iterator[None]:
    key = run_dir.resolve()
    if key in _HELD:  # this process holds it already
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    with _acquired(run_dir):
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]


@contextlib.contextmanager
def _acquired(run_dir: Path) -> Iterator[None]:
    path = run_dir / LOCK_FILE
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - held open for the whole block
    except OSError as exc:
        raise unwritable(run_dir, exc) from exc
    try:
        if not _try_lock(handle):
            raise RunLockedError(
                f"{run_dir} is in use by another kamreport command ({_holder(path)}); wait for it to finish, "
                "or stop that process, then run again"
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
        except OSError as exc:
            raise unwritable(run_dir, exc) from exc
        yield
    finally:
        handle.close()  # closing the file releases the lock


def unwritable(folder: Path, exc: OSError) -> InputError:
    """The exit-2 error for an output folder kamreport cannot write."""
    reason = exc.strerror or type(exc).__name__
    return InputError(
        f"cannot write the output folder {folder}: {reason}. Make it writable, or set output_dir in the params "
        "file to a folder you can write"
    )


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "a process that is just starting"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _WINDOWS_LOCK_OFFSET = 1 << 20

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(_WINDOWS_LOCK_OFFSET)  # a byte past the pid, so that the pid stays readable
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
