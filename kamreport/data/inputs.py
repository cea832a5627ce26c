"""The input files of a run and their fingerprints (path, size, sha256); SQL tables by the hash of their rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kamreport.data.sources import resolve_paths
from kamreport.data.sql import sql_inputs
from kamreport.params import RunParams, TableSource
from kamreport.records import InputFile

_CHUNK = 1 << 20


def input_paths(params: RunParams) -> list[tuple[str, Path]]:
    """(table, file) for every file the params read: table sources, lookups and set-aside lists."""
    found: list[tuple[str, Path]] = []
    base = params.base_dir
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


def fingerprint_inputs(
    params: RunParams, known: list[InputFile] | None = None, query_databases: bool = True
) -> list[InputFile]:
    """Describe every input file; a file whose size and mtime match ``known`` keeps its stored hash.

    Tables read by a SQL query are fingerprinted by the hash of their rows
    (:func:`kamreport.data.sql.sql_inputs`; ``query_databases`` is explained there).
    """
    cache = {(f.path, f.size, f.mtime_ns): f.sha256 for f in known or []}
    result = []
    for table, path in input_paths(params):
        stat = path.stat()
        digest = cache.get((str(path), stat.st_size, stat.st_mtime_ns)) or sha256(path)
        result.append(InputFile(table, str(path), stat.st_size, stat.st_mtime_ns, digest))
    return result + sql_inputs(params, known, query_databases)
