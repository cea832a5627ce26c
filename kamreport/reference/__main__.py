"""``python -m kamreport.reference [--check] [--root DIR]``: regenerate (or check) the generated documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kamreport.reference import CHECKOUT, DOCUMENTS, stale, write


def main(argv: list[str] | None = None) -> int:
    """Rewrite the documents (or, with ``--check``, list the stale ones); returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m kamreport.reference", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only list the documents that differ; exit 1 if any")
    parser.add_argument("--root", type=Path, default=CHECKOUT, help="the checkout (default: the one holding kamreport)")
    args = parser.parse_args(argv)
    if not (args.root / "pyproject.toml").is_file():
        parser.error(f"{args.root} is not a kamreport checkout (no pyproject.toml): pass --root")
    if args.check:
        found = stale(args.root)
        for path in found:
            print(f"stale: {path} (regenerate: python -m kamreport.reference)")
        return 1 if found else 0
    changed = write(args.root)
    for path in DOCUMENTS:
        print(f"{'rewritten' if path in changed else 'unchanged'}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
