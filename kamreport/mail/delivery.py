"""``kamreport mail``: a draft per recipient in ``<run>/mail/``, sent over SMTP only on request.

The run folder's own record of its params (``params.json``) and its stored results give the
numbers and the files — never computed again — so the message shows exactly what the attached
workbooks show; the params file given on the command line gives the ``mail`` settings and
``report.link_base``.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kamreport.compute import Computed
from kamreport.errors import InputError, ParamsError
from kamreport.files import atomic_target, slug
from kamreport.mail.attachments import Pack, build_pack
from kamreport.mail.compose import as_sent, compose, size_text
from kamreport.mail.content import ScopeContent, scope_content
from kamreport.mail.log import SENT_LOG, SentLog, State
from kamreport.mail.recipients import Recipient, RecipientList, read_recipients
from kamreport.mail.scopes import ScopeFiles, scope_files
from kamreport.mail.smtp import Mailer, refused_text, smtp_reason, smtp_settings
from kamreport.params import Language, RunParams
from kamreport.report.views import Run
from kamreport.run.exports import write_csv
from kamreport.run.lock import run_lock
from kamreport.run.manifest import read_manifest
from kamreport.run.session import RUN_PARAMS, run_params
from kamreport.run.store import load_stored

MAIL_DIR = "mail"
REJECTED = "rejected.csv"
CHART_CACHE = ".charts"
# What one recipient's failure looks like; anything else stops the whole send.
_RECIPIENT_FAILURES = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPServerDisconnected)


@dataclass
class MailOptions:
    """What the command line asks for."""

    run_dir: Path | None = None
    send: bool = False
    resend: bool = False
    dry_run: bool = False


@dataclass
class Outgoing:
    """One recipient's message, its attachments and where it stands in the sent-log."""

    recipient: Recipient
    message: EmailMessage
    pack: Pack
    state: State
    missing_plans: tuple[str, ...] = ()
    draft: Path | None = None

    @property
    def message_id(self) -> str:
        """The message's Message-ID header."""
        return str(self.message["Message-ID"])


@dataclass
class MailResult:
    """What ``kamreport mail`` did."""

    run_dir: Path
    outgoing: list[Outgoing]
    rejected: pd.DataFrame
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when a message failed, else 0 (recipients set aside are reported, not failures)."""
        return 1 if self.failed else 0


def mail_pack(params: RunParams, options: MailOptions, console: Console) -> MailResult:
    """Write the drafts of a run folder and, with ``options.send``, send those not sent yet.

    Raises
    ------
    InputError
        No run in the folder, or its stored results are not those of its reports; the
        recipients file is missing or unreadable.
    ParamsError
        ``mail.recipients`` is not set; ``--send`` without ``mail.sender`` or an SMTP host.
    MailServerError
        The SMTP server cannot be reached or refuses the session (nothing more is sent).
    """
    run_dir = (options.run_dir or params.run_dir).resolve()
    if not (run_dir / RUN_PARAMS).is_file():
        raise InputError(f"no run in {run_dir}: make it with `kamreport run {params.source or 'PARAMS'}` first")
    with run_lock(run_dir):
        used = _params_of_run(params, run_dir)
        computed = _results(used, run_dir)
        recipients = read_recipients(params)
        folder = run_dir / MAIL_DIR
        log = SentLog(folder / SENT_LOG)
        outgoing = _prepare(recipients, computed, used, log, folder / CHART_CACHE, keep_charts=not options.dry_run)
        result = MailResult(run_dir, outgoing, recipients.rejected)
        if not options.dry_run:
            write_csv(recipients.rejected, folder / REJECTED)
            _write_drafts(outgoing, folder)
        _show(result, log, options, console, used.mail.max_attachment_mb)
        if options.send or options.resend:
            _send(result, log, used, options, console)
    return result


def _params_of_run(params: RunParams, run_dir: Path) -> RunParams:
    """The params the run folder was made with, its mail settings and link base from ``params``."""
    recorded = run_params(run_dir)
    report = recorded.report.model_copy(update={"link_base": params.report.link_base})
    return recorded.model_copy(
        update={"output_dir": str(run_dir.parent), "run_name": run_dir.name, "mail": params.mail, "report": report}
    )


def _results(params: RunParams, run_dir: Path) -> Computed:
    """The results the run folder's reports were made from (stored, never computed again)."""
    computed = load_stored(params)
    if read_manifest(run_dir).get("results_key") != computed.key:
        raise InputError(
            f"the results stored in {run_dir} are not those its reports were made from; run "
            f"`kamreport run {params.source or 'PARAMS'}` again, then mail"
        )
    return computed


def _prepare(
    recipients: RecipientList,
    computed: Computed,
    params: RunParams,
    log: SentLog,
    chart_cache: Path,
    keep_charts: bool,
) -> list[Outgoing]:
    """One message per recipient whose scope has a report; the others set aside with the reason."""
    runs: dict[Language, Run] = {}
    files: dict[str, ScopeFiles] = {}

    def run_in(language: Language) -> Run:
        return runs.setdefault(language, Run(computed, language))

    def resolve(recipient: Recipient) -> None:
        if recipient.scope.id not in files:
            files[recipient.scope.id] = scope_files(run_in(recipient.language), recipient.scope)

    recipients.keep(resolve)
    packs: dict[str, Pack] = {}
    contents: dict[tuple[str, Language], ScopeContent] = {}
    outgoing = []
    for recipient in recipients.accepted:
        scope = recipient.scope
        if scope.id not in packs:
            packs[scope.id] = build_pack(
                files[scope.id], scope, params.run_dir, params.name, params.mail, params.report.link_base
            )
        if (scope.id, recipient.language) not in contents:
            contents[(scope.id, recipient.language)] = scope_content(
                run_in(recipient.language), scope, params.mail.top_actions, chart_cache, keep_charts
            )
        pack = packs[scope.id]
        message = compose(
            recipient,
            contents[(scope.id, recipient.language)],
            pack,
            params.mail.sender,
            params.mail.max_attachment_mb,
        )
        state = log.state(recipient, pack.hashes)
        outgoing.append(Outgoing(recipient, message, pack, state, files[scope.id].missing_plans))
    return outgoing


def _write_drafts(outgoing: list[Outgoing], folder: Path) -> None:
    """Every draft as ``<scope>_<address>.eml``; drafts of an earlier call are removed first."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    for item in outgoing:
        path = folder / f"{slug(item.recipient.scope.id)}_{slug(item.recipient.email)}.eml"
        with atomic_target(path) as tmp:
            tmp.write_bytes(item.message.as_bytes())
        item.draft = path


def _show(result: MailResult, log: SentLog, options: MailOptions, console: Console, limit_mb: float) -> None:
    """Who gets what: one line per message, then the warnings and where the drafts are."""
    sending = options.send or options.resend
    table = Table(title=f"Mail of {result.run_dir.name}", title_justify="left")
    for column in ("recipient", "scope", "attached", "size", "status"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for item in result.outgoing:
        r = item.recipient
        attached = ", ".join(a.filename for a in item.pack.attached) or "—"
        table.add_row(
            Text(f"{r.name} <{r.email}>"),
            Text(r.scope.id),
            Text(attached),
            size_text(item.pack.size) if item.pack.attached else "—",
            Text(_status(item, log, sending, options.resend)),
        )
    console.print(table)
    for item in result.outgoing:
        r = item.recipient
        if item.pack.over_limit:
            what = f"{len(item.pack.listed)} file(s) listed by name instead" if item.pack.listed else "attached anyway"
            console.print(
                Text(f"warning: {r.email} ({r.scope.id}): attachments above {limit_mb:g} MB; {what}"), style="yellow"
            )
        if item.missing_plans:
            console.print(
                Text(f"warning: {r.scope.id}: no plan in the run folder for {', '.join(item.missing_plans)}"),
                style="yellow",
            )
    folder = result.run_dir / MAIL_DIR
    if len(result.rejected):
        console.print(Text(f"{len(result.rejected)} recipient(s) set aside: {folder / REJECTED}"), style="yellow")
        for row in result.rejected.itertuples(index=False):
            console.print(Text(f"  row {row.source_row}: {row.reason}"))
    if options.dry_run:
        console.print("dry run: nothing written, nothing sent")
    elif result.outgoing:
        console.print(Text(f"{len(result.outgoing)} draft(s) in {folder} (open a .eml file to edit and send it)"))


def _status(item: Outgoing, log: SentLog, sending: bool, resend: bool) -> str:
    last = log.last_sent(item.recipient)
    when = f" {last['time']}" if last else ""
    if item.state == "sent":
        return f"already sent{when}"
    if item.state == "changed":
        return f"changed since sent{when}" + ("" if resend else ": --resend to send again")
    return "to send" if sending else "draft"


def _send(result: MailResult, log: SentLog, params: RunParams, options: MailOptions, console: Console) -> None:
    """Send every message not sent yet (and, with ``--resend``, those whose files changed)."""
    todo = [o for o in result.outgoing if o.state == "new" or (o.state == "changed" and options.resend)]
    waiting = [o for o in result.outgoing if o.state == "changed" and not options.resend]
    if waiting:
        console.print(Text(f"{len(waiting)} message(s) changed since sent; not sent again without --resend"))
    if not todo:
        console.print("nothing to send: every message was sent before")
        return
    settings = smtp_settings(params)
    if not params.mail.sender:
        raise ParamsError(
            f"{params.source or 'params'}: mail.sender is not set; give the From address, "
            "e.g. mail: {sender: 'Sales reporting <kam@example.com>'}"
        )
    if options.dry_run:
        console.print(Text(f"dry run: {len(todo)} message(s) would go through {settings.describe()}"))
        return
    with Mailer(settings) as mailer:
        for item in todo:
            try:
                refused = mailer.send(as_sent(item.message))
            except _RECIPIENT_FAILURES as exc:
                reason = smtp_reason(exc)
                log.record(item.recipient, item.message_id, item.pack.hashes, "failed", reason)
                result.failed.append((item, reason))
                continue
            problem = refused_text(refused)
            log.record(item.recipient, item.message_id, item.pack.hashes, "sent", problem or None)
            result.sent.append(item)
            if problem:
                result.failed.append((item, f"sent, but refused for {problem}"))
    console.print(Text(f"{len(result.sent)} message(s) sent through {settings.describe()}"))
    if result.failed:
        console.print(f"[bold red]{len(result.failed)} message(s) failed:[/]")
        for item, reason in result.failed:
            console.print(Text(f"  {item.recipient.email} ({item.recipient.scope.id}): {reason}"))
