"""Memory: the RSS of a process tree sampled over time, and a process's exact peak per stage.

Two complementary measures:

* :class:`TreeSampler` runs in the benchmark's own process and samples, every ``interval``
  seconds, the resident set of a child process and of all its descendants (render workers,
  their kernels, nbconvert).  Samples carry ``time.monotonic()`` stamps, which every process
  on the machine shares, so they can be matched with the stage marks the child records.
  The sum of RSS over processes counts shared pages once per process: it is an upper bound.
  With ``per_process`` the sampler also reads each process's PSS and USS
  (``/proc/PID/smaps_rollup``) every ``pss_every``-th sample: the tree's PSS sum counts a
  page shared by k processes 1/k in each, so it is the honest total; USS is what each
  process alone holds (what its exit would give back).  And each process's CPU seconds
  (user + system, ``/proc/PID/stat``), so the pack's own CPU during the render is known.
* :func:`reset_peak` / :func:`peak_bytes` run inside a process: Linux keeps the high-water
  mark of its resident set (``VmHWM``), and writing ``5`` to ``/proc/self/clear_refs``
  resets it, so the peak of each stage is exact even when it lasts less than a sample.

psutil is used when it is importable; otherwise ``/proc`` is read directly.
"""

from __future__ import annotations

import os
import re
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is optional
    psutil = None

MIB = 2**20
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    """One sample: when, the root process's RSS and the whole tree's RSS (bytes)."""

    t: float
    own: int
    total: int


def tree_rss(pid: int) -> tuple[int, int]:
    """RSS in bytes of process ``pid`` and of ``pid`` plus all its descendants (0, 0 when gone)."""
    if psutil is not None:
        return _tree_rss_psutil(pid)
    return _tree_rss_proc(pid)


def _tree_rss_psutil(pid: int) -> tuple[int, int]:
    try:
        root = psutil.Process(pid)
        own = root.memory_info().rss
        children = root.children(recursive=True)
    except psutil.Error:
        return 0, 0
    total = own
    for child in children:
        try:
            total += child.memory_info().rss
        except psutil.Error:
            continue
    return own, total


def _tree_rss_proc(pid: int) -> tuple[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                frontier.append(child)
    sizes = {p: _rss_proc(p) for p in tree}
    return sizes.get(pid, 0), sum(sizes.values())


def _rss_proc(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * _PAGE


def role(pid: int, root: int) -> str:
    """What a process of the tree is: ``pack`` (the root), ``kernel``, ``worker`` (pool or Dask) or its program."""
    if pid == root:
        return "pack"
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    text = b" ".join(args).decode(errors="replace")
    if "ipykernel" in text:
        return "kernel"
    if "multiprocessing" in text or "distributed" in text or "dask" in text:
        return "worker"
    return Path(args[0].decode(errors="replace")).name or "other"


def tree_by_process(pid: int) -> dict[int, int]:
    """RSS in bytes of ``pid`` and each of its descendants, by pid (empty when gone)."""
    if psutil is None:
        return {}
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    sizes: dict[int, int] = {}
    for proc in procs:
        try:
            sizes[proc.pid] = proc.memory_info().rss
        except psutil.Error:
            continue
    return sizes


def pss_uss(pid: int) -> tuple[int, int]:
    """PSS and USS of ``pid`` in bytes, from ``/proc/PID/smaps_rollup`` ((0, 0) when unreadable)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        value = rest.split()
        if value:
            fields[name] = int(value[0]) * 1024
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0) + fields.get("Private_Hugetlb", 0)
    return fields.get("Pss", 0), uss


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used so far (0 when gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


@dataclass
class TreeSampler:
    """Sample the RSS of ``pid``'s process tree in a background thread until :meth:`stop`.

    With ``per_process`` each process's own peak is kept too (``peaks``: pid → (role, bytes)),
    the time the first render worker or kernel appeared (``first_worker``) and the tree's
    largest sample from then on broken down by role (``at_peak``: role → bytes); every
    ``pss_every``-th sample, the same for PSS (``pss_peak``, ``at_pss_peak``, and each
    process's largest PSS and USS in ``pss_peaks``: pid → (role, pss, uss)); and each
    process's CPU seconds, the last seen (``cpu``: pid → (role, seconds)) and at the first
    worker (``cpu_at_first_worker``).
    """

    pid: int
    interval: float = 0.05
    per_process: bool = False
    samples: list[Sample] = field(default_factory=list)
    peaks: dict[int, tuple[str, int]] = field(default_factory=dict)
    at_peak: dict[str, int] = field(default_factory=dict)
    first_worker: float | None = None  # when a worker or kernel first appeared (rendering began)
    pss_every: int = 5
    pss_peak: int = 0
    at_pss_peak: dict[str, int] = field(default_factory=dict)
    pss_peaks: dict[int, tuple[str, int, int]] = field(default_factory=dict)
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)
    cpu_at_first_worker: dict[int, float] = field(default_factory=dict)
    _count: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TreeSampler:
        """Begin sampling."""
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> list[Sample]:
        """Stop sampling and return the samples."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.samples

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self.per_process:
                self._sample_processes()
            else:
                own, total = tree_rss(self.pid)
                if total:
                    self.samples.append(Sample(time.monotonic(), own, total))
            self._stop.wait(self.interval)

    def _sample_processes(self) -> None:
        sizes = tree_by_process(self.pid)
        if not sizes:
            return
        total = sum(sizes.values())
        by_role: dict[str, int] = {}
        for pid, rss in sizes.items():
            known = self.peaks.get(pid)
            name = known[0] if known else role(pid, self.pid)
            self.peaks[pid] = (name, max(rss, known[1] if known else 0))
            by_role[name] = by_role.get(name, 0) + rss
            self.cpu[pid] = (name, cpu_seconds(pid))
            if name in ("worker", "kernel") and self.first_worker is None:
                self.first_worker = time.monotonic()
                self.cpu_at_first_worker = {p: c for p, (_, c) in self.cpu.items()}
        if self.first_worker is not None and total > sum(self.at_peak.values()):  # the render's peak
            self.at_peak = by_role
        self.samples.append(Sample(time.monotonic(), sizes.get(self.pid, 0), total))
        self._count += 1
        if self.first_worker is not None and self._count % self.pss_every == 0:
            self._sample_pss(sizes)

    def _sample_pss(self, sizes: dict[int, int]) -> None:
        by_role: dict[str, int] = {}
        for pid in sizes:
            pss, uss = pss_uss(pid)
            name, _ = self.peaks[pid]
            _, top_pss, top_uss = self.pss_peaks.get(pid, (name, 0, 0))
            self.pss_peaks[pid] = (name, max(pss, top_pss), max(uss, top_uss))
            by_role[name] = by_role.get(name, 0) + pss
        if sum(by_role.values()) > self.pss_peak:
            self.pss_peak = sum(by_role.values())
            self.at_pss_peak = by_role

    def cpu_by_role(self, since_first_worker: bool = False) -> dict[str, float]:
        """CPU seconds per role (the last value seen of each process; optionally only since rendering began)."""
        totals: dict[str, float] = {}
        for pid, (name, seconds) in self.cpu.items():
            base = self.cpu_at_first_worker.get(pid, 0.0) if since_first_worker else 0.0
            totals[name] = totals.get(name, 0.0) + seconds - base
        return {k: round(v, 1) for k, v in sorted(totals.items())}


def peak_between(samples: list[Sample], start: float, end: float) -> tuple[int, int]:
    """Largest root RSS and largest tree RSS (bytes) among the samples taken in ``[start, end]``."""
    inside = [s for s in samples if start <= s.t <= end]
    if not inside:
        return 0, 0
    return max(s.own for s in inside), max(s.total for s in inside)


def reset_peak() -> bool:
    """Reset this process's RSS high-water mark; False when the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_bytes() -> int:
    """This process's RSS high-water mark (since start or the last :func:`reset_peak`)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def largest_child_peak() -> int:
    """The largest peak RSS of any child this process has waited for (bytes; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def mib(value: float) -> float:
    """Bytes as MiB, one decimal."""
    return round(value / MIB, 1)
