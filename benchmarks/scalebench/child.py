"""Run one side of the benchmark in a fresh (spawned) process while sampling its process tree."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from scalebench.memory import Sample, TreeSampler, largest_child_peak


@dataclass
class ChildRun:
    """What a child returned, the RSS samples of its tree, and its span on the monotonic clock."""

    result: dict[str, Any]
    samples: list[Sample]
    start: float
    end: float
    largest_process_peak: int  # bytes: the largest RSS high-water mark of any one waited-for process so far

    @property
    def seconds(self) -> float:
        """Wall seconds from start to exit, process start-up and imports included."""
        return round(self.end - self.start, 3)


def run_in_child(fn: Callable[..., dict[str, Any]], interval: float = 0.05, **kwargs: Any) -> ChildRun:
    """Call ``fn(**kwargs)`` in a spawned process, sampling the RSS of it and its descendants.

    Raises
    ------
    RuntimeError
        The child exited with an error (its traceback is on stderr).
    """
    context = get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="kamreport-bench-") as tmp:
        path = Path(tmp) / "result.json"
        process = context.Process(target=_entry, args=(fn, kwargs, str(path)), name=fn.__name__)
        start = time.monotonic()
        process.start()
        sampler = TreeSampler(process.pid or 0, interval).start()
        process.join()
        end = time.monotonic()
        samples = sampler.stop()
        if process.exitcode != 0 or not path.is_file():
            raise RuntimeError(f"{fn.__name__} failed in its child process (exit code {process.exitcode})")
        result = json.loads(path.read_text(encoding="utf-8"))
    return ChildRun(result, samples, start, end, largest_child_peak())


def _entry(fn: Callable[..., dict[str, Any]], kwargs: dict[str, Any], path: str) -> None:
    result = fn(**kwargs)
    Path(path).write_text(json.dumps(result, default=str), encoding="utf-8")
