"""Vectorised helpers: calendars, labels and ids, typed arrays, sampling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.demo.vocabulary import _GIVEN_CN, _GIVEN_PY, _SURNAMES_CN, _SURNAMES_PY, _WESTERN_NAMES
from kamreport.periods import Quarter


@dataclass(frozen=True)
class _Calendar:
    """The history: month starts as day numbers (days since 1970-01-01)."""

    quarters: tuple[Quarter, ...]
    month_start: np.ndarray  # int64, n_months + 1 entries (last = first day after history)

    @property
    def n_months(self) -> int:
        return len(self.month_start) - 1

    @property
    def n_quarters(self) -> int:
        return len(self.quarters)

    @property
    def first(self) -> int:
        return int(self.month_start[0])

    @property
    def last(self) -> int:
        return int(self.month_start[-1]) - 1

    @property
    def quarter_start(self) -> np.ndarray:
        return self.month_start[:-1:3]

    @property
    def years(self) -> np.ndarray:
        return np.unique([q.year for q in self.quarters])


def _calendar(end: str, years: int) -> _Calendar:
    last_q = Quarter.parse(end)
    first_q = Quarter(last_q.year - years + 1, 1)
    n_q = (last_q.year - first_q.year) * 4 + last_q.q
    quarters = tuple(first_q.shift(i) for i in range(n_q))
    months = np.arange(
        np.datetime64(f"{first_q.year}-01", "M"), np.datetime64(last_q.next.start.isoformat()[:7], "M") + 1
    )
    return _Calendar(quarters, months.astype("datetime64[D]").astype(np.int64))


def _text(
    labels: Sequence[str] | pa.Array, codes: np.ndarray, missing: np.ndarray | None = None
) -> pd.api.extensions.ExtensionArray:
    """String column: ``labels[codes]`` (NA where ``missing``), built in Arrow without Python objects."""
    dictionary = labels if isinstance(labels, pa.Array) else pa.array(list(labels), type=pa.large_string())
    indices = pa.array(np.asarray(codes, dtype=np.int64), mask=missing)
    return pd.arrays.ArrowStringArray(pc.take(dictionary, indices))


_FOUR_DIGITS = np.array([list(f"{i:04d}".encode()) for i in range(10_000)], dtype=np.uint8)


def _labels(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ids such as ``INV00012345``, written straight into an Arrow buffer.

    ``width`` is a minimum: it grows when a number needs more digits.  Build each id once
    and :func:`_text` (take) it onto rows: much faster than formatting every row.
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    if len(numbers):
        width = max(width, len(str(int(numbers.max()))))
    chunks = -(-width // 4)
    digits = np.empty((len(numbers), 4 * chunks), dtype=np.uint8)
    rest = numbers
    for k in range(chunks - 1, -1, -1):  # four digits at a time, from the right
        rest, four = np.divmod(rest, 10_000)
        digits[:, 4 * k : 4 * k + 4] = _FOUR_DIGITS[four]
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    buf = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :] = digits[:, 4 * chunks - width :]
    del digits
    offsets = np.arange(len(numbers) + 1, dtype=np.int64) * buf.shape[1]
    return pa.Array.from_buffers(pa.large_string(), len(numbers), [None, pa.py_buffer(offsets), pa.py_buffer(buf)])


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.api.extensions.ExtensionArray:
    """:func:`_labels` as a pandas string column."""
    return pd.arrays.ArrowStringArray(_labels(prefix, numbers, width))


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Day numbers → ``datetime64[us]`` at midnight (NaT where ``missing``)."""
    out = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[us]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def _ints(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    values = np.asarray(values, dtype=np.int64)
    mask = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.arrays.IntegerArray(values, mask)


def _bools(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.BooleanArray:
    values = np.asarray(values, dtype=bool)
    mask = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.arrays.BooleanArray(values, mask)


def _business_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniformly drawn Monday–Friday day in ``[lo, hi]`` (day numbers) for each element."""
    lo_d = np.asarray(lo, dtype=np.int64).astype("datetime64[D]")
    hi_d = (np.asarray(hi, dtype=np.int64) + 1).astype("datetime64[D]")
    n_days = np.maximum(np.busday_count(lo_d, hi_d), 1)
    offset = (rng.random(len(lo_d)) * n_days).astype(np.int64)
    return np.busday_offset(lo_d, offset, roll="forward").astype(np.int64)


def _cells(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expand a (rows × cols) count matrix into the row and column index of every event."""
    n_cols = counts.shape[1]
    flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
    return (flat // n_cols).astype(np.int32), (flat % n_cols).astype(np.int32)


def _choice(rng: np.random.Generator, p: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """Category indices drawn with probabilities ``p`` (vectorised, int16)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int16)


def _round_to(values: np.ndarray, step: float) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) / step) * step


def _person_names() -> list[str]:
    pinyin = [f"{s} {g}" for s in _SURNAMES_PY for g in _GIVEN_PY]
    chinese = [s + g for s in _SURNAMES_CN for g in _GIVEN_CN]
    return pinyin + chinese + list(_WESTERN_NAMES)


def _normal_quantiles(n: int) -> np.ndarray:
    """Stratified standard-normal quantiles: a heavy tail with no sampling luck."""
    dist = NormalDist()
    return np.array([dist.inv_cdf((i + 0.5) / n) for i in range(n)])
