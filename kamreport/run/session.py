"""Opening a run from a notebook: by its params file or its run folder, computing only when needed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kamreport.errors import ParamsError
from kamreport.files import write_text
from kamreport.params import Language, RunParams, load_params, parse_params
from kamreport.records import InputFile, query_record
from kamreport.report.views import Run
from kamreport.run.store import load_or_compute

RUN_PARAMS = "params.json"
# Params parsed in this process, by the record's path and text: a warm kernel opens the same
# run for every report (validating the params costs a few milliseconds; they are frozen).
_PARSED: dict[tuple[str, str], RunParams] = {}


def save_run_params(params: RunParams, inputs: Sequence[InputFile] = ()) -> Path:
    """Record the params a run used (with any command-line overrides) in its folder.

    ``inputs``: the run's fingerprints; those of SQL tables are recorded too (connection, URL,
    query, bound values, rows and their hash), as the params alone do not say what was read.
    """
    doc: dict[str, Any] = {"source": params.source, "params": params.model_dump(mode="json", exclude={"source"})}
    queries = [query_record(f) for f in inputs if f.connection is not None]
    if queries:
        doc["queries"] = queries
    path = params.run_dir / RUN_PARAMS
    write_text(path, json.dumps(doc, indent=1, ensure_ascii=False))
    return path


def run_params(run_dir: str | Path) -> RunParams:
    """The params a run folder was made with (see :func:`save_run_params`)."""
    path = Path(run_dir) / RUN_PARAMS
    if not path.is_file():
        raise ParamsError(f"{run_dir} is not a kamreport run folder (no {RUN_PARAMS}); pass the params file instead")
    text = path.read_text(encoding="utf-8")
    key = (str(path.resolve()), text)
    if key not in _PARSED:
        doc = json.loads(text)
        _PARSED.clear()  # one run at a time is the rule: no need to keep every record ever read
        _PARSED[key] = parse_params({**doc["params"], "source": doc["source"]}, str(path))
    return _PARSED[key]


def open_run(
    params_file: str | Path | None = None, run_dir: str | Path | None = None, language: Language | None = None
) -> Run:
    """The computed run a report notebook works on.

    Parameters
    ----------
    params_file
        A params YAML file; used when ``run_dir`` is not given.
    run_dir
        A run folder made by ``kamreport run``: its recorded params (with any command-line
        overrides) are used; without a record, ``params_file`` is.
    language
        ``en`` or ``zh``; default the params file's ``language``.

    The results come from the run's store when they are up to date with the inputs and
    params, and are computed (and stored) otherwise — a notebook opened by hand is complete.
    """
    if run_dir is not None and (Path(run_dir) / RUN_PARAMS).is_file():
        params = run_params(run_dir)
    elif params_file:
        params = load_params(params_file)
    elif run_dir is not None:
        params = run_params(run_dir)  # raises: not a run folder
    else:
        raise ParamsError("open_run needs a params file or a run folder")
    computed = load_or_compute(params, query_databases=False)  # SQL tables: the rows the run read
    return Run(computed, language or params.language)
