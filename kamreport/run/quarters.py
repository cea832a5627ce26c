"""Quarter after quarter: the next quarter's params file and objectives from this one.

The params file is edited as text, so the analyst's comments and layout stay: the period
(and a run name that follows it) moves on one quarter, a path that names the old quarter is
moved on too, and every data path gets a comment asking the user to check it.

Beside it, ``objectives_<next quarter>.xlsx`` carries the plan of record on
(:func:`new_quarter`): the objectives still open and one draft per recommended
action, for the account managers to edit and the next run to read as its ``objectives`` table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kamreport.compute import Results
from kamreport.contract import OBJECTIVE_STATUSES, TABLES
from kamreport.errors import InputError, ParamsError
from kamreport.files import atomic_target
from kamreport.params import RunParams, load_params
from kamreport.periods import Quarter
from kamreport.run.lock import run_lock
from kamreport.run.store import load_or_compute

_PERIOD = re.compile(r"^(\s*period\s*:\s*)(['\"]?)(\d{4}-?[Qq][1-4])(['\"]?)(.*)$")
_RUN_NAME = re.compile(r"^(\s*run_name\s*:\s*)(.*)$")
_PATH = re.compile(r"\bpath\s*:")
_KEY = re.compile(r"^\s*([A-Za-z_]\w*)\s*:")  # a mapping key: the table a path line belongs to


def next_quarter_text(text: str, current: Quarter) -> str:
    """``text`` (a params file) with the period moved on and every data path flagged for review."""
    following = current.next
    old, new = str(current), str(following)
    lines = []
    table = ""
    for line in text.splitlines():
        key = _KEY.match(line)
        table = key.group(1) if key and key.group(1) != "path" else table
        match = _PERIOD.match(line)
        if match:
            line = f"{match.group(1)}{match.group(2)}{new}{match.group(4)}{match.group(5)}"
        elif _RUN_NAME.match(line) and old in line:
            line = line.replace(old, new)
        elif _PATH.search(line.split("#")[0]):
            line = _flag_path(line, old, new, objectives=table == "objectives")
        lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _flag_path(line: str, old: str, new: str, objectives: bool = False) -> str:
    body, _, comment = line.partition("#")
    body = body.rstrip()
    if objectives and old not in body:
        note = f"UPDATE: point at objectives_{new}.xlsx, the objectives new-quarter drafted beside this file"
    elif old in body:
        note = f"UPDATE: was {old}; check the {new} export is there"
        body = body.replace(old, new)
    else:
        note = f"UPDATE: point at the {new} export if this file is not cumulative"
    return f"{body}  # {note}" + (f"; {comment.strip()}" if comment.strip() else "")


def next_params_path(params_file: str | Path, output: str | Path | None = None) -> Path:
    """Where the next quarter's params file goes: ``output``, else beside this one named after the new period."""
    source = Path(params_file)
    following = load_params(source).quarter.next
    return Path(output) if output else source.with_name(f"{following}{source.suffix or '.yaml'}")


def write_next_quarter(params_file: str | Path, output: str | Path | None = None) -> Path:
    """Write the next quarter's params file beside this one (``params/2026Q4.yaml``) and return its path.

    Raises
    ------
    ParamsError
        The file is not valid params, or the target already exists.
    """
    source = Path(params_file)
    params = load_params(source)
    target = next_params_path(source, output)
    if target.exists():
        raise ParamsError(f"{target} already exists; remove it or pass --output to write elsewhere")
    text = next_quarter_text(source.read_text(encoding="utf-8-sig"), params.quarter)
    target.write_text(text, encoding="utf-8")
    load_params(target)  # the new file must be valid params too
    return target


# The objectives file: the contract's columns, then two for the reader (never read back as data).
OBJECTIVE_COLUMNS: tuple[str, ...] = (*TABLES["objectives"].names, "account_name", "source")


def objectives_path(params_file: Path, params: RunParams) -> Path:
    """``objectives_<next quarter>.xlsx`` in the folder of ``params_file`` (the next params file)."""
    return params_file.parent / f"objectives_{params.quarter.next}.xlsx"


def next_objectives(results: Results, params: RunParams) -> pd.DataFrame:
    """Next quarter's objectives: the ones still open, then a draft for every recommended action.

    A draft is due at the next quarter's end, owned by the account's manager, open, set in the
    next quarter and worded as the action (in the run's language).  An action on a group
    customer is drafted for the group's largest site (by revenue over the last four quarters);
    ``source`` says where each row comes from.
    """
    following = params.quarter.next
    plan = results.accounts.set_index("account_id")
    carried = results.objectives[results.objectives["status"] == "open"]
    carried = carried.assign(source=[f"open since {q}" if pd.notna(q) else "open" for q in carried["quarter"]])
    actions = results.actions
    account = actions["account_id"].astype("string")
    if "group_id" in actions and len(actions):
        largest = plan.dropna(subset=["group_id"]).sort_values("revenue_t4q", ascending=False)
        site = largest.reset_index().drop_duplicates("group_id").set_index("group_id")["account_id"]
        account = account.fillna(actions["group_id"].astype("string").map(site))
    drafts = pd.DataFrame(
        {
            "account_id": account,
            "objective": actions[params.language].astype("string") if len(actions) else pd.Series(dtype="string"),
            "owner": account.map(plan["owner"]),
            "due": pd.Timestamp(following.end),
            "status": "open",
            "completion": 0.0,
            "party": "us",
            "quarter": str(following),
            "source": "draft from action " + actions["rule"].astype(str) if len(actions) else pd.Series(dtype="string"),
        }
    ).dropna(subset=["account_id"])
    frame = pd.concat([carried, drafts], ignore_index=True)
    frame["account_name"] = frame["account_id"].map(plan["account_name"])
    return frame.reindex(columns=list(OBJECTIVE_COLUMNS)).reset_index(drop=True)


def write_objectives(frame: pd.DataFrame, path: Path) -> Path:
    """The objectives as a workbook the managers edit: text written as text, dates as dates, lists to pick from.

    ``status`` and ``party`` offer their values in a drop-down; nothing is written as a formula
    (an objective beginning with ``=`` stays text).
    """
    import xlsxwriter

    with atomic_target(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        sheet = book.add_worksheet("objectives")
        header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        shares = book.add_format({"num_format": "0%"})
        for col, name in enumerate(OBJECTIVE_COLUMNS):
            sheet.write_string(0, col, name, header)
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            for col, (name, value) in enumerate(zip(OBJECTIVE_COLUMNS, values, strict=True)):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if name == "due":
                    sheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), dates)
                elif name == "completion":
                    sheet.write_number(row, col, float(value), shares)
                else:
                    sheet.write_string(row, col, str(value))
        last = max(len(frame), 1) + 200  # room for new rows
        choices = {"status": OBJECTIVE_STATUSES, "party": ("us", "customer")}
        for name, allowed in choices.items():
            col = OBJECTIVE_COLUMNS.index(name)
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": list(allowed)})
        widths = {"account_id": 11, "objective": 60, "owner": 16, "due": 11, "account_name": 36, "source": 26}
        for col, name in enumerate(OBJECTIVE_COLUMNS):
            sheet.set_column(col, col, widths.get(name, 11))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(frame), 1), len(OBJECTIVE_COLUMNS) - 1)
        book.close()
    return path


def new_quarter(params_file: str | Path, output: str | Path | None = None, objectives: bool = True) -> list[Path]:
    """The next quarter's params file and, unless ``objectives`` is false, its objectives file beside it.

    Both targets are checked before anything is written, and the run's results are computed
    before the params file is written, so a failure leaves nothing half done.
    """
    source = Path(params_file)
    params = load_params(source)
    target = next_params_path(source, output)
    drafted = objectives_path(target, params)
    for path in (target, drafted) if objectives else (target,):
        if path.exists():
            raise ParamsError(f"{path} already exists; remove it or pass --output to write elsewhere")
    frame = None
    if objectives:
        try:
            with run_lock(params.run_dir):
                results = load_or_compute(params).results
        except InputError as exc:
            raise InputError(f"{exc} — new-quarter drafts next quarter's objectives from this run "
                             "(pass --params-only to write the params file alone)") from exc  # fmt: skip
        frame = next_objectives(results, params)
    written = [write_next_quarter(source, target)]
    if frame is not None:
        written.append(write_objectives(frame, drafted))
    return written
