"""Compare the reports of two run folders: every HTML text for text, every workbook cell by cell.

    .venv/bin/python benchmarks/compare_reports.py BEFORE_RUN_DIR AFTER_RUN_DIR [--limit N]

For a change that must leave the reports as they were (a faster render, the same output).
Each ``*.html`` and ``*.xlsx`` below the company, region, group and account folders of
BEFORE is compared with the same file of AFTER.  Two things differ between two runs by
design and are masked on both sides: the minute the results were computed (``Made`` on the
title block and in the workbook's run sheet, ``YYYY-MM-DD HH:MM``) and the run folders' own
paths (the run sheet lists the params, the output folder among them).  A workbook embeds
its creation time in its file properties, so workbooks are read back with openpyxl and
compared cell value by cell value, sheet by sheet.  Exit code 1 when any file differs.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path
from typing import Any

STAMP = re.compile(r"20\d\d-\d\d-\d\d \d\d:\d\d")


def masked(value: Any, folder: Path) -> Any:
    """``value`` with the computed-at minute and the run's output folder masked (text only)."""
    if not isinstance(value, str):
        return value
    text = STAMP.sub("<made>", value)
    for part in (str(folder.parent), folder.parent.name):  # the output folder, full and as its name
        text = text.replace(part, "<output>")
    return text


def workbook_cells(path: Path, folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Sheet title → its rows of cell values (masked)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # openpyxl drops the conditional-format extensions it cannot read
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(path)
    return {
        sheet.title: [tuple(masked(cell.value, folder) for cell in row) for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def compare(before: Path, after: Path, limit: int | None = None) -> tuple[int, list[str]]:
    """(files compared, one line per file that differs or is missing in ``after``)."""
    reports = sorted(
        p.relative_to(before) for p in before.glob("*/**/*") if p.suffix in (".html", ".xlsx") and p.is_file()
    )
    if limit is not None:
        reports = reports[:limit]
    problems: list[str] = []
    for rel in reports:
        if not (after / rel).is_file():
            problems.append(f"missing: {rel}")
        elif rel.suffix == ".html":
            a = masked((before / rel).read_text(encoding="utf-8"), before)
            b = masked((after / rel).read_text(encoding="utf-8"), after)
            if a != b:
                at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
                problems.append(f"differs: {rel} from character {at}: {a[at : at + 60]!r} / {b[at : at + 60]!r}")
        else:
            a_cells, b_cells = workbook_cells(before / rel, before), workbook_cells(after / rel, after)
            if a_cells != b_cells:
                sheets = [s for s in a_cells.keys() | b_cells.keys() if a_cells.get(s) != b_cells.get(s)]
                problems.append(f"differs: {rel}, sheets {sorted(sheets)}")
    return len(reports), problems


def main(argv: list[str] | None = None) -> int:
    """Print how many reports were compared and each that differs; 1 when any does."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="a run folder (output/2026Q3)")
    parser.add_argument("after", type=Path, help="the run folder to compare with it")
    parser.add_argument("--limit", type=int, default=None, help="compare only the first N files")
    args = parser.parse_args(argv)
    count, problems = compare(args.before.resolve(), args.after.resolve(), args.limit)
    html = sum(1 for _ in args.before.glob("*/**/*.html"))
    print(f"compared {count} report files ({html} HTML in {args.before}); {len(problems)} differ")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
