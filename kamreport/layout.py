"""Where a run's files go (docs/outputs.md, "The output tree"): one function, used by the runner and the notebooks.

```
<run_dir>/company/kam_company_<run>.xlsx|.html|.ipynb
<run_dir>/regions/<region>/kam_<region>_<run>.xlsx|.html|.ipynb
<run_dir>/accounts/<account>/plan_<account>_<run>.xlsx|.html|.ipynb
<run_dir>/groups/<group>/plan_<group>_<run>.xlsx|.html|.ipynb
```
``<region>``, ``<account>`` and ``<group>`` are slugs (:func:`kamreport.files.slug`): CJK kept,
separators and ``..`` never, and names that would share a slug told apart by a short hash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import quote

from kamreport.files import inside, unique_slugs

# The report levels: what a report or a plan is about (the one definition; views, jobs and
# the output tree use it).  Region and company get a report, group and account a plan.
Level = Literal["company", "region", "group", "account"]
LEVELS: tuple[Level, ...] = get_args(Level)
_FOLDERS = {"company": "company", "region": "regions", "account": "accounts", "group": "groups"}
_PREFIX = {"company": "kam", "region": "kam", "account": "plan", "group": "plan"}


@dataclass(frozen=True)
class ReportFiles:
    """The files of one report."""

    folder: Path
    stem: str

    @property
    def xlsx(self) -> Path:
        """The workbook."""
        return self.folder / f"{self.stem}.xlsx"

    @property
    def html(self) -> Path:
        """The HTML report."""
        return self.folder / f"{self.stem}.html"

    @property
    def ipynb(self) -> Path:
        """The executed notebook."""
        return self.folder / f"{self.stem}.ipynb"


@dataclass(frozen=True)
class Layout:
    """The output tree of one run."""

    run_dir: Path
    run_name: str
    slugs: dict[tuple[str, str], str]

    @classmethod
    def build(
        cls, run_dir: Path, run_name: str, regions: list[str], accounts: dict[str, str], groups: list[str]
    ) -> Layout:
        """The layout for these regions, accounts (id → name) and groups."""
        slugs: dict[tuple[str, str], str] = {("company", "all"): "company"}
        slugs |= {("region", k): v for k, v in unique_slugs(regions).items()}
        labels = {f"{i}_{n}": i for i, n in accounts.items()}
        slugs |= {("account", labels[k]): v for k, v in unique_slugs(list(labels)).items()}
        slugs |= {("group", k): v for k, v in unique_slugs(groups).items()}
        return cls(run_dir, run_name, slugs)

    def files(self, kind: Level, key: str) -> ReportFiles:
        """The files of the report on ``key`` (a region, account_id or group_id; ``all`` for the company)."""
        name = self.slugs[(kind, key)]
        folder = inside(self.run_dir, _FOLDERS[kind], *([] if kind == "company" else [name]))
        return ReportFiles(folder, f"{_PREFIX[kind]}_{name}_{self.run_name}")

    def relative(self, path: Path, start: Path) -> str:
        """``path`` relative to the folder ``start`` (for links between reports), with forward slashes."""
        return Path(os.path.relpath(path, start)).as_posix()


def published_link(base: str, run_name: str, relative: str) -> str:
    """Where a file of a published run folder is: ``base`` + ``/<run>/`` + its path inside the run folder.

    ``base`` is ``report.link_base``: a URL (path segments quoted) or a shared-folder path
    (a Windows UNC path keeps its backslashes).
    """
    parts = [run_name, *relative.split("/")]
    if "://" in base:
        return base.rstrip("/") + "/" + "/".join(quote(part) for part in parts)
    sep = "\\" if "\\" in base and "/" not in base else "/"
    return base.rstrip("/\\") + sep + sep.join(parts)
