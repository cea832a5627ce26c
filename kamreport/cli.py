"""The ``kamreport`` command: parse arguments, show progress, map errors to exit codes.

Exit codes (docs/outputs.md): 0 all reports made; 1 some report jobs failed (the others are
complete and listed); 2 fatal input or params error (nothing made).  The work itself is in
the library; this module only talks to the user.
"""

from __future__ import annotations

import argparse
import errno
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from kamreport import __version__
from kamreport.errors import KamreportError
from kamreport.run.display import plain

if TYPE_CHECKING:  # imported when a command runs: `kamreport --help` stays quick
    from kamreport.params import RunParams

# User text (paths, headers, ids, names) reaches these consoles as rich Text, never as markup.
console = Console(highlight=False, soft_wrap=True, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

DEMO_PARAMS = Path("params/demo.yaml")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except KamreportError as exc:
        _error(str(exc))
        return exc.exit_code
    except OSError as exc:
        if not isinstance(exc, PermissionError) and exc.errno not in _CANNOT_WRITE:
            raise
        _error(
            f"cannot use {exc.filename or 'a file'}: {exc.strerror}. Check the paths in the params file and the "
            "permissions of the output folder"
        )
        return 2
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130


_CANNOT_WRITE = {errno.EACCES, errno.EPERM, errno.EROFS}


def _error(message: str) -> None:
    err_console.print("[bold red]error:[/] ", plain(message), sep="")


def build_parser() -> argparse.ArgumentParser:
    """Every command and option (docs/outputs.md lists them from here)."""
    parser = argparse.ArgumentParser(prog="kamreport", description="Key-account-management reporting kit.")
    parser.add_argument("--version", action="version", version=f"kamreport {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="make the demo data (if absent), run the full pack on it and write the drafts")
    p.add_argument("--params", type=Path, default=DEMO_PARAMS, help="params file (default params/demo.yaml)")
    _run_options(p)
    p.set_defaults(handler=_demo)

    p = sub.add_parser("run", help="validate, compute and render every report the params ask for")
    p.add_argument("params", type=Path, help="the quarter's params file (params/README.md)")
    _run_options(p)
    p.add_argument("--mail", action="store_true", help="then write the e-mail drafts (kamreport mail)")
    p.set_defaults(handler=_run)

    p = sub.add_parser("mail", help="write each recipient's e-mail as a draft; send them with --send")
    p.add_argument("params", type=Path, help="the params file: its mail settings (and, by default, its run folder)")
    p.add_argument("--run", type=Path, default=None, help="run folder to mail (default: the params file's)")
    p.add_argument("--send", action="store_true", help="send over SMTP the messages not sent yet")
    p.add_argument(
        "--resend", action="store_true", help="also send again those whose attachments changed since (implies --send)"
    )
    p.add_argument("--dry-run", action="store_true", help="print who would get what; write and send nothing")
    p.set_defaults(handler=_mail)

    p = sub.add_parser("validate", help="validation only: per-table summary and data_quality.csv")
    p.add_argument("params", type=Path, help="the quarter's params file")
    p.add_argument("--allow-rejects", action="store_true", help="go on when a table loses more rows than allowed")
    p.set_defaults(handler=_validate)

    p = sub.add_parser(
        "new-quarter", help="write the next quarter's params file and objectives_<next quarter>.xlsx from this one"
    )
    p.add_argument("params", type=Path, help="this quarter's params file")
    p.add_argument("--output", type=Path, help="where to write it (default: beside, named after the new period)")
    p.add_argument(
        "--params-only", action="store_true", help="write the params file alone (no objectives: the run is not read)"
    )
    p.set_defaults(handler=_new_quarter)

    p = sub.add_parser("demo-data", help="write the synthetic dataset at any size")
    p.add_argument("directory", type=Path, help="folder to write the tables and a params.yaml into")
    p.add_argument("--accounts", type=int, default=600, help="number of customer sites (at least 20)")
    p.add_argument("--years", type=int, default=3, help="calendar years of history, ending with 2026Q3")
    p.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same data")
    p.add_argument("--messy", action="store_true", help="add realistic bad rows of every kind the validator handles")
    p.add_argument(
        "--format",
        choices=["parquet", "csv", "duckdb"],
        default=None,
        help="default parquet (csv with --messy); duckdb: every table in DIR/kam.duckdb",
    )
    p.set_defaults(handler=_demo_data)
    return parser


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--region", action="append", default=[], help="only this region's reports (repeatable)")
    p.add_argument("--account", action="append", default=[], help="only this account's plan (repeatable)")
    p.add_argument("--workers", type=int, default=None, help="parallel render jobs (default: the core count)")
    p.add_argument("--only", default=None, help="comma list of data, xlsx, html (default: what render.only says)")
    p.add_argument("--resume", action="store_true", help="remake only the reports failed, missing or stale")
    p.add_argument("--allow-rejects", action="store_true", help="go on when a table loses more rows than allowed")
    p.add_argument("--force", action="store_true", help="recompute even when the stored results are up to date")
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler (tcp://host:8786) for render jobs")


def _load(path: Path, allow_rejects: bool = False) -> RunParams:
    from kamreport.params import load_params

    params = load_params(path)
    if allow_rejects:
        params = params.model_copy(update={"validation": params.validation.model_copy(update={"allow_rejects": True})})
    return params


def _validate(args: argparse.Namespace) -> int:
    from kamreport.run.lock import run_lock

    params = _load(args.params, args.allow_rejects)
    started = time.perf_counter()
    with run_lock(params.run_dir):
        from kamreport.data.validate import load_and_validate
        from kamreport.errors import RejectLimitError
        from kamreport.records import summary_frame
        from kamreport.run.display import print_summary
        from kamreport.run.exports import write_csv

        try:
            with console.status("validating…"):
                validated = load_and_validate(params, lambda msg: console.print(plain(f"  {msg}")))
        except RejectLimitError as exc:
            path = write_csv(exc.quality, params.run_dir / "data_quality.csv")
            print_summary(console, summary_frame(exc.reports))
            err_console.print(plain(f"set-aside rows written to {path}"))
            raise
        path = write_csv(validated.quality, params.run_dir / "data_quality.csv")
    print_summary(console, validated.summary())
    console.print(plain(f"data quality report: {path}  ({time.perf_counter() - started:.1f} s)"))
    return 0


def _run(args: argparse.Namespace) -> int:
    from kamreport.run.lock import run_lock

    params = _load(args.params, args.allow_rejects)
    with run_lock(params.run_dir):  # before the heavy imports: a second run stops at once
        from kamreport.run.pack import PackOptions, run_pack

        options = PackOptions(
            regions=args.region,
            accounts=args.account,
            workers=args.workers,
            only=[o.strip() for o in args.only.split(",")] if args.only else None,
            resume=args.resume,
            force=args.force,
            scheduler=args.scheduler,
        )
        code = run_pack(params, options, console)
        if args.mail:  # the drafts, under the same (re-entrant) lock
            drafts = argparse.Namespace(params=args.params, run=None, send=False, resend=False, dry_run=False)
            code = max(code, _mail(drafts))
        return code


def _mail(args: argparse.Namespace) -> int:
    from kamreport.mail.delivery import MailOptions, mail_pack

    params = _load(args.params)
    options = MailOptions(run_dir=args.run, send=args.send or args.resend, resend=args.resend, dry_run=args.dry_run)
    return mail_pack(params, options, console).exit_code


def _demo(args: argparse.Namespace) -> int:
    from kamreport.demo import demo_files, write_demo

    params = _load(args.params, args.allow_rejects)
    folder = params.base_dir
    fmt = "duckdb" if any(spec.is_sql for spec in params.data.tables.values()) else "parquet"  # demo_duckdb.yaml
    if not all(path.is_file() for path in demo_files(folder, fmt)):
        with console.status(plain(f"making the demo data in {folder}…")):
            started = time.perf_counter()
            write_demo(folder, fmt=fmt)
        console.print(plain(f"demo data written to {folder} ({time.perf_counter() - started:.1f} s)"))
    return _run(argparse.Namespace(**{**vars(args), "params": args.params, "mail": True}))


def _new_quarter(args: argparse.Namespace) -> int:
    from kamreport.run.quarters import new_quarter

    with console.status(plain("drafting next quarter's objectives from this run…")):
        written = new_quarter(args.params, args.output, objectives=not args.params_only)
    console.print(plain(f"next quarter's params written to {written[0]}; check the paths marked UPDATE"))
    if len(written) > 1:
        console.print(plain(f"next quarter's objectives written to {written[1]}: the open ones and a draft per action"))
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    from kamreport.demo import write_demo, write_demo_params

    fmt = args.format or ("csv" if args.messy else "parquet")
    started = time.perf_counter()
    with console.status(plain(f"writing demo data to {args.directory}…")):
        paths = write_demo(
            args.directory, n_accounts=args.accounts, years=args.years, seed=args.seed, messy=args.messy, fmt=fmt
        )
        params = write_demo_params(args.directory / "params.yaml", args.directory, args.directory / "output", fmt=fmt)
    console.print(plain(f"{len(paths)} tables written to {args.directory} in {time.perf_counter() - started:.1f} s"))
    console.print(plain(f"run the pack on them: kamreport run {params}"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
