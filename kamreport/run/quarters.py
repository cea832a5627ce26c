"""Quarter after quarter: the next quarter's params file from this one.

The file is edited as text, so the analyst's comments and layout stay: the period (and a
run name that follows it) moves on one quarter, a path that names the old quarter is moved
on too, and every data path gets a comment asking the user to check it.
"""

from __future__ import annotations

import re
from pathlib import Path

from kamreport.errors import ParamsError
from kamreport.params import load_params
from kamreport.periods import Quarter

_PERIOD = re.compile(r"^(\s*period\s*:\s*)(['\"]?)(\d{4}-?[Qq][1-4])(['\"]?)(.*)$")
_RUN_NAME = re.compile(r"^(\s*run_name\s*:\s*)(.*)$")
_PATH = re.compile(r"\bpath\s*:")


def next_quarter_text(text: str, current: Quarter) -> str:
    """``text`` (a params file) with the period moved on and every data path flagged for review."""
    following = current.next
    old, new = str(current), str(following)
    lines = []
    for line in text.splitlines():
        match = _PERIOD.match(line)
        if match:
            line = f"{match.group(1)}{match.group(2)}{new}{match.group(4)}{match.group(5)}"
        elif _RUN_NAME.match(line) and old in line:
            line = line.replace(old, new)
        elif _PATH.search(line.split("#")[0]):
            line = _flag_path(line, old, new)
        lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _flag_path(line: str, old: str, new: str) -> str:
    body, _, comment = line.partition("#")
    body = body.rstrip()
    if old in body:
        note = f"UPDATE: was {old}; check the {new} export is there"
        body = body.replace(old, new)
    else:
        note = f"UPDATE: point at the {new} export if this file is not cumulative"
    return f"{body}  # {note}" + (f"; {comment.strip()}" if comment.strip() else "")


def write_next_quarter(params_file: str | Path, output: str | Path | None = None) -> Path:
    """Write the next quarter's params file beside this one (``params/2026Q4.yaml``) and return its path.

    Raises
    ------
    ParamsError
        The file is not valid params, or the target already exists.
    """
    source = Path(params_file)
    params = load_params(source)
    following = params.quarter.next
    target = Path(output) if output else source.with_name(f"{following}{source.suffix or '.yaml'}")
    if target.exists():
        raise ParamsError(f"{target} already exists; remove it or pass --output to write elsewhere")
    text = next_quarter_text(source.read_text(encoding="utf-8-sig"), params.quarter)
    target.write_text(text, encoding="utf-8")
    load_params(target)  # the new file must be valid params too
    return target
