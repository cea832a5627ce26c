"""The input files of a run and their fingerprints (path, file state, sha256); SQL tables by the hash of their rows.

A file's SHA-256 is what keys the results store and what run.json records.  Hashing a large
export takes a while, so a hash stored by an earlier run is reused — but only while the
file's (device, inode, size, mtime_ns, ctime_ns) are all unchanged.  The change time cannot
be set back by a program (``touch -r`` restores the modification time but moves ctime), and
a hash taken within :data:`RACY_NS` of the file's last change is never trusted (file-system
clocks tick coarsely: an edit in the same tick would leave every time stamp equal).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from kamreport.data.sources import resolve_paths
from kamreport.data.sql import sql_inputs
from kamreport.params import RunParams, TableSource
from kamreport.records import InputFile

_CHUNK = 1 << 20
RACY_NS = 2_000_000_000


def input_paths(params: RunParams) -> list[tuple[str, Path]]:
    """(table, file) for every file the params read: table sources, lookups, set-aside lists and the merge table."""
    found: list[tuple[str, Path]] = []
    base = params.base_dir
    if params.data.merge is not None:
        found.extend(("merge", p) for p in resolve_paths("merge", params.data.merge, base))
    for table, spec in params.data.tables.items():
        found.extend((table, p) for p in resolve_paths(table, spec, base))
        extra = [lk.path for lk in spec.lookups.values()] + [rule.path for rule in spec.set_aside]
        for entry in extra:
            if entry is not None:
                found.extend((table, p) for p in resolve_paths(table, TableSource(path=entry), base))
    unique: dict[tuple[str, str], tuple[str, Path]] = {}
    for table, path in found:
        unique.setdefault((table, str(path)), (table, path))
    return list(unique.values())


def sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_state(stat: os.stat_result) -> tuple[int, int, int, int, int]:
    """(device, inode, size, mtime_ns, ctime_ns): what must all match for a stored hash to be reused."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def fingerprint_file(table: str, path: Path, known: InputFile | None = None) -> InputFile:
    """Describe one input file, reusing ``known``'s hash only when the file provably did not change.

    Parameters
    ----------
    table
        The table the file belongs to.
    path
        The file.
    known
        The record an earlier run stored for this path, if any.
    """
    stat = path.stat()
    state = file_state(stat)
    trusted = (
        known is not None
        and known.path == str(path)
        and known.state == state
        and known.hashed_ns - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS
    )
    if known is not None and trusted:
        digest, hashed = known.sha256, known.hashed_ns
    else:
        hashed = time.time_ns()
        digest = sha256(path)
    device, inode, size, mtime_ns, ctime_ns = state
    return InputFile(table, str(path), size, mtime_ns, digest, ctime_ns, device, inode, hashed)


def fingerprint_inputs(
    params: RunParams, known: Iterable[InputFile] = (), query_databases: bool = True
) -> list[InputFile]:
    """Describe every input file of the run (see :func:`fingerprint_file`); ``known`` are stored records.

    Tables read by a SQL query are fingerprinted by the hash of their rows
    (:func:`kamreport.data.sql.sql_inputs`; ``query_databases`` is explained there).
    """
    stored = list(known)
    by_path = {f.path: f for f in stored if f.connection is None}
    files = [fingerprint_file(table, path, by_path.get(str(path))) for table, path in input_paths(params)]
    return files + sql_inputs(params, stored, query_databases)
