"""Safe file names and atomic writes: text is never a path, a half-written file never shows.

A region or account name becomes a file name through :func:`slug` (CJK and other letters
kept; separators, ``..`` and control characters never).  Every output is written to a
temporary name beside its target and renamed when complete (:func:`atomic_target`), so a
manager is never sent half a workbook.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_UNSAFE = re.compile(r"[^\w\-.]+", flags=re.UNICODE)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_BYTES = 80


def slug(name: object) -> str:
    """A file-safe form of ``name``: letters (any script), digits, ``-``, ``_`` and inner dots.

    >>> slug("华东 East/区")
    '华东_East_区'
    >>> slug("../../etc/passwd")
    'etc_passwd'
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\.{2,}", "_", text)
    text = re.sub(r"_+", "_", text).strip("._-")
    if not text or text.lower() in _RESERVED:
        text = f"x_{text}" if text else "unnamed"
    encoded = text.encode("utf-8")
    if len(encoded) > _MAX_BYTES:
        digest = hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
        text = encoded[: _MAX_BYTES - 9].decode("utf-8", errors="ignore").rstrip("._-") + "_" + digest
    return text


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Slug every name; names that would share a slug get a short hash of the name appended."""
    slugs = {n: slug(n) for n in names}
    counts: dict[str, int] = {}
    for s in slugs.values():
        counts[s] = counts.get(s, 0) + 1
    return {
        n: (s if counts[s] == 1 else f"{s}_{hashlib.sha1(n.encode('utf-8')).hexdigest()[:6]}") for n, s in slugs.items()
    }


def inside(folder: Path, *parts: str) -> Path:
    """``folder / parts`` after checking the result cannot leave ``folder``."""
    root = folder.resolve()
    target = root.joinpath(*parts).resolve()
    if root != target and root not in target.parents:
        raise ValueError(f"refusing to write outside {root}: {target}")
    return target


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_target(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
