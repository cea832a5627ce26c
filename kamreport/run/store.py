"""The results store: compute once per run, reuse while nothing changed.

``output/<run>/.results/`` holds the facts and every computed frame as Parquet, keyed by a
hash of the input files and the params that shape the numbers.  :func:`load_or_compute`
reuses it when the key matches and recomputes when an input or a param changed — the
runner and a notebook opened by hand go through the same function.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

import kamreport
from kamreport.compute import Computed, Results, compute
from kamreport.data.inputs import fingerprint_inputs
from kamreport.data.schema import release_arrow_memory
from kamreport.data.sql import forget_prefetched
from kamreport.data.validate import enforce_reject_limit, load_and_validate
from kamreport.errors import InputError, ParamsError
from kamreport.facts import FRAME_FIELDS, Facts, build_run_facts
from kamreport.files import write_parquet
from kamreport.params import RunParams
from kamreport.records import InputFile, StageTimes, TableReport

RESULTS_DIR = ".results"
_RESULT_FRAMES = [f.name for f in fields(Results) if f.name != "period" and not f.name.startswith("_")]
# What changes numbers (language, render and report settings do not — but for the materiality
# that marks accounts `material` and the RAG thresholds a scorecard shows where no target is
# set; nor does the reject policy — validation.max_reject_share and
# --allow-rejects — which only decides whether a run may go on and is applied to stored
# results as to fresh ones).  The plausibility bounds of validation decide which rows are set
# aside: they change numbers.
_KEYED_PARAMS: dict[str, bool | set[str]] = {
    "period": True,
    "regions": True,
    "data": True,
    "validation": {"min_date", "max_days_after_period", "max_abs_number"},
    "kpi": True,
    "planning": True,
    "report": {"materiality", "rag"},
}
# Results already loaded in this process, by key: a warm kernel rendering many reports
# reads the store once.
_MEMORY: dict[str, Computed] = {}
# The input records this process last made, by path.  A warm kernel opens the run for every
# report; where the store's record cannot be trusted (hashed within RACY_NS of the file's
# change, as demo data written just before its run is) each report would hash every input
# again.  The same rule judges these records (kamreport.data.inputs.fingerprint_file), so
# a changed file is still hashed again.
_FINGERPRINTS: dict[str, InputFile] = {}


@cache
def code_fingerprint() -> str:
    """Hash of kamreport's own source and templates: results made by other code are never reused."""
    digest = hashlib.sha256()
    package = Path(kamreport.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def results_key(params: RunParams, inputs: list[InputFile]) -> str:
    """Hash of the code, the number-shaping params and every input's content."""
    keyed = params.model_dump(mode="json", include=_KEYED_PARAMS)
    payload = {
        "version": kamreport.__version__,
        "code": code_fingerprint(),
        "params": keyed,
        "inputs": sorted((f.table, f.path, f.sha256) for f in inputs),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def load_or_compute(
    params: RunParams,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
    query_databases: bool = True,
) -> Computed:
    """The run's results from the store when fresh, else validate, aggregate and compute (and store).

    The reject policy (``validation.max_reject_share`` unless ``allow_rejects``) is applied
    to reused results exactly as to fresh ones.  ``force`` recomputes and hashes every input
    file again (no stored hash is reused).

    ``query_databases=False`` (a notebook rendering a run): SQL tables keep the row hashes the
    run stored instead of being queried again; they are queried when the results must be
    recomputed all the same.

    Raises
    ------
    InputError
        Validation found a fatal problem, a region named in the params has no accounts, or an
        input file changed while it was read (nothing is stored).
    RejectLimitError
        A table lost more rows than allowed (also when the results were stored by a run
        that was allowed to go on).
    """
    say = progress or (lambda _msg: None)
    store = params.run_dir / RESULTS_DIR
    times = StageTimes()
    with times.stage("fingerprint"):
        known = [] if force else _read_inputs(store) + list(_FINGERPRINTS.values())  # later records win
        inputs = fingerprint_inputs(params, known, query_databases)
        _FINGERPRINTS.update((f.path, f) for f in inputs if f.connection is None)
        key = results_key(params, inputs)
        if not query_databases and _stored_key(store) != key:
            inputs = fingerprint_inputs(params, known)  # recomputing: hash the rows that will be used
            key = results_key(params, inputs)
    if not force and _stored_key(store) == key:
        say("results are up to date: reusing them")
        forget_prefetched()  # rows a SQL fingerprint read for a validation that will not run
        if _cached(key, store):
            loaded = replace(_MEMORY[key], params=params, reused=True)
        else:
            with times.stage("load_results"):
                loaded = _load(store, params, inputs, key)
            loaded.times = times
            _MEMORY[key] = loaded
        enforce_reject_limit(loaded.reports, loaded.quality, params)
        return loaded
    with times.stage("load_validate"):
        validated = load_and_validate(params, say)
        _check_unchanged(params, inputs)
    check_regions(params, validated.tables["accounts"])
    with times.stage("aggregate"):
        facts = build_run_facts(validated, params, consume=True)  # the sales lines go once aggregated
    quality, reports = validated.quality, list(validated.reports.values())
    del validated  # the validated lines (gigabytes at 10 M) are not needed past the facts
    release_arrow_memory()
    say("facts aggregated; computing KPIs and plans")
    with times.stage("compute"):
        results = compute(facts, params)
    computed = Computed(
        params,
        facts,
        results,
        quality,
        reports,
        inputs,
        key,
        computed_at=datetime.now().strftime("%Y-%m-%d %H:%M"),
        times=times,
    )
    with times.stage("store"):
        save(computed, store)
    _MEMORY[key] = computed
    return computed


def _cached(key: str, store: Path) -> bool:
    """Whether this process holds the run ``key`` for ``store``: in memory, or read from that very store."""
    cached = _MEMORY.get(key)
    if cached is None:
        return False
    folder = cached.results.__dict__.get("_store")
    return folder is None or folder == store


def lighten(computed: Computed) -> Computed:
    """The same run with its frames read back from the store when used, and their memory released.

    Once the exports are written, the pack process needs little of the computed frames
    (the accounts for the job list and the index page): at 10 M lines they are gigabytes
    that would sit beside the render kernels for the whole render.  Returns ``computed``
    unchanged when the store does not hold it (nothing stored).
    """
    store = computed.params.run_dir / RESULTS_DIR
    if _stored_key(store) != computed.key:
        return computed
    key = computed.key
    facts = StoredFacts.open(store, key, present=computed.facts.present, as_of=computed.facts.as_of)
    light = replace(computed, facts=facts, results=StoredResults.open(store, key, computed.results.period))
    _MEMORY[computed.key] = light
    return light


def release_memory() -> None:
    """Hand freed memory back to the system: Arrow's pool, then (glibc) the C heap's free pages."""
    gc.collect()
    release_arrow_memory()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: its allocator returns large blocks by itself
        return
    libc.malloc_trim(0)


def load_stored(params: RunParams) -> Computed:
    """The results stored in the run folder as they are: never computed, the input files not read again.

    What a finished run's reports were made from (``kamreport mail`` describes those).

    Raises
    ------
    InputError
        The run folder has no stored results, or they were computed by another version of
        kamreport or with other params.
    """
    store = params.run_dir / RESULTS_DIR
    key = _stored_key(store)
    if key is None:
        raise InputError(f"no stored results in {store}: run `kamreport run` on this params file first")
    inputs = _read_inputs(store)
    # the key of the stored inputs under this code and these params: another kamreport version
    # (whose store may lack frames this one reads) or other params give another key
    if results_key(params, inputs) != key:
        raise InputError(
            f"the results in {store} were computed by another version of kamreport or with other params; "
            "run `kamreport run` again"
        )
    if not _cached(key, store):
        _MEMORY[key] = _load(store, params, inputs, key)
    return replace(_MEMORY[key], params=params, reused=True)


def check_regions(params: RunParams, accounts: pd.DataFrame) -> None:
    """Refuse a ``regions`` list naming a region no account is in (a typo would give an empty pack).

    Raises
    ------
    ParamsError
        The message names the unknown regions, the params file and the regions the data has.
    """
    known = sorted(accounts["region"].dropna().astype(str).unique())
    unknown = [r for r in params.regions if r not in known]
    if unknown:
        raise ParamsError(
            f"{params.source or 'params'}: regions: {', '.join(map(repr, unknown))} "
            f"{'is' if len(unknown) == 1 else 'are'} not a region of any account. The accounts' regions are "
            f"{', '.join(known) or '(none)'}; correct the name or leave regions empty for all."
        )


def _check_unchanged(params: RunParams, inputs: list[InputFile]) -> None:
    """Refuse results read from files that changed while they were read: run.json must name what was used."""
    # files only: a SQL table's rows used are the rows its fingerprint hashed (kamreport.data.sql)
    files = [f for f in inputs if f.connection is None]
    now = {f.path: f.sha256 for f in fingerprint_inputs(params, inputs, query_databases=False) if f.connection is None}
    changed = [f.path for f in files if now.get(f.path) != f.sha256]
    if changed:
        raise InputError(
            f"input file changed while the run was reading it: {', '.join(changed)}. "
            "Run again once the export is complete."
        )


def save(computed: Computed, store: Path) -> None:
    """Write the computed run into ``store`` atomically (a temporary folder, then a rename).

    The temporary folder is this process's own: render kernels that find the store stale
    (kamreport's code changed since the run) compute and store the same results side by side.
    """
    tmp = store.with_name(f"{store.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    # the facts in a second thread while this one writes the results: Arrow encodes and writes
    # Parquet without the GIL, and the two halves are of a size (the store in about half the time)
    with ThreadPoolExecutor(1) as pool:
        facts = pool.submit(computed.facts.save, tmp / "facts")
        for name in _RESULT_FRAMES:
            _write_frame(getattr(computed.results, name), tmp / f"{name}.parquet")
        _write_frame(computed.quality, tmp / "quality.parquet")
        facts.result()
    meta = {
        "key": computed.key,
        "period": computed.results.period,
        "inputs": [f.as_dict() for f in computed.inputs],
        "reports": [_report_dict(r) for r in computed.reports],
        "times": computed.times.seconds,
        "computed_at": computed.computed_at,
    }
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(store, ignore_errors=True)
    try:
        tmp.rename(store)
    except OSError:  # another process stored meanwhile: keep its results when they are these
        shutil.rmtree(tmp, ignore_errors=True)
        if _stored_key(store) != computed.key:
            raise


def stored_frame(computed: Computed, name: str) -> Path | None:
    """The store's Parquet file of the result frame ``name`` of ``computed`` (None when the store holds another run)."""
    store = computed.params.run_dir / RESULTS_DIR
    path = store / f"{name}.parquet"
    return path if _stored_key(store) == computed.key and path.is_file() else None


def _write_frame(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.copy(deep=False)  # the attributes and labels below change, never the data
    frame.attrs = {}
    frame.columns = [str(c) for c in frame.columns]
    write_parquet(frame, path)


def _report_dict(r: TableReport) -> dict[str, object]:
    return {
        "table": r.table,
        "files": r.files,
        "rows_read": r.rows_read,
        "rows_used": r.rows_used,
        "rows_set_aside": r.rows_set_aside,
        "reasons": r.reasons,
        "seconds": round(r.seconds, 3),
        "rows_by_rule": r.rows_by_rule,
    }


def _stored_key(store: Path) -> str | None:
    meta = store / "meta.json"
    if not meta.is_file():
        return None
    key = json.loads(meta.read_text(encoding="utf-8")).get("key")
    return key if isinstance(key, str) else None


def _read_inputs(store: Path) -> list[InputFile]:
    meta = store / "meta.json"
    if not meta.is_file():
        return []
    return [InputFile.from_dict(f) for f in json.loads(meta.read_text(encoding="utf-8")).get("inputs", [])]


def _load(store: Path, params: RunParams, inputs: list[InputFile], key: str) -> Computed:
    """The stored run, each frame read from its Parquet file when first used.

    A report touches a few of the frames (no report reads the sales facts, which are most of
    the store at 10 M lines): a render kernel holds only those, not the whole store.
    """
    meta = json.loads((store / "meta.json").read_text(encoding="utf-8"))
    results = StoredResults.open(store, key, period=meta["period"])
    reports = [
        TableReport(
            r["table"],
            r["files"],
            r["rows_read"],
            r["rows_set_aside"],
            r["reasons"],
            r["seconds"],
            r["rows_by_rule"],
        )
        for r in meta["reports"]
    ]
    quality = pd.read_parquet(store / "quality.parquet")
    present, as_of = Facts.saved_meta(store / "facts")
    facts = StoredFacts.open(store, key, present=present, as_of=as_of)
    return Computed(params, facts, results, quality, reports, inputs, key, meta.get("computed_at", ""), reused=True)


_UNREAD: Any = object()  # a stored frame not read yet


class _StoredFrame:
    """A dataclass field holding a frame that is read from ``<folder>/<name>.parquet`` on first access."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        frames: dict[str, pd.DataFrame] = obj.__dict__["_frames"]
        if self.name not in frames:
            store, key = obj.__dict__["_store"], obj.__dict__["_key"]
            if _stored_key(store) != key:  # another run replaced the store: its frames are not this run's
                raise InputError(
                    f"the results in {store} changed while this run was reading them (another kamreport run "
                    "on the same folder?); run again"
                )
            frames[self.name] = pd.read_parquet(obj.__dict__["_folder"] / f"{self.name}.parquet")
        return frames[self.name]

    def __set__(self, obj: Any, value: pd.DataFrame) -> None:
        if value is not _UNREAD:
            obj.__dict__["_frames"][self.name] = value


def _stored_frames(cls: type, names: list[str] | tuple[str, ...]) -> type:
    """``cls`` with each of ``names`` read from Parquet when first used (see :class:`_StoredFrame`)."""
    for name in names:
        setattr(cls, name, _StoredFrame(name))
    return cls


class StoredFacts(Facts):
    """Facts from the results store, each frame read when a report first asks for it."""

    @classmethod
    def open(cls, store: Path, key: str, **values: Any) -> StoredFacts:
        """The facts of the run ``key`` stored in ``store`` (``values``: present, as_of), no frame read yet."""
        facts = cls.__new__(cls)
        facts.__dict__.update(_frames={}, _folder=store / "facts", _store=store, _key=key)
        Facts.__init__(facts, **dict.fromkeys(FRAME_FIELDS, _UNREAD), **values)
        return facts


class StoredResults(Results):
    """Results from the results store, each frame read when a report first asks for it."""

    @classmethod
    def open(cls, store: Path, key: str, period: str) -> StoredResults:
        """The results of the run ``key`` stored in ``store``, no frame read yet."""
        results = cls.__new__(cls)
        results.__dict__.update(_frames={}, _folder=store, _store=store, _key=key)
        Results.__init__(results, period=period, **dict.fromkeys(_RESULT_FRAMES, _UNREAD))
        return results


_stored_frames(StoredFacts, FRAME_FIELDS)
_stored_frames(StoredResults, _RESULT_FRAMES)
