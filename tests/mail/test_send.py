"""``kamreport mail --send`` against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from mail.conftest import REFUSED, Inbox, MailFolder, copy_run, free_port, write_mail_params
from mail.test_drafts import attachments, read_message

from kamreport.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("mail")]
PASSWORD = "s3cret-pw-7731"
HOLD_LOCK = """
import sys
from pathlib import Path
from kamreport.run.lock import run_lock
with run_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def sent_log(run_dir: Path) -> list[dict[str, Any]]:
    path = run_dir / "mail" / "sent.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []


def plain_server(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("KAMREPORT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KAMREPORT_SMTP_PORT", str(port))
    monkeypatch.setenv("KAMREPORT_SMTP_SECURITY", "none")


@dataclass
class Sending:
    """A copy of the run folder, the server's inbox and the command that sends through it."""

    inbox: Inbox
    run_dir: Path
    command: list[str]


@pytest.fixture
def sending(
    mail_folder: MailFolder, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Sending:
    inbox, port = smtp_server
    plain_server(monkeypatch, port)
    run_dir = copy_run(mail_folder, tmp_path)
    return Sending(inbox, run_dir, ["mail", str(mail_folder.params_file), "--run", str(run_dir), "--send"])


def test_messages_received_equal_the_drafts_and_go_once(sending: Sending, capsys) -> None:  # type: ignore[no-untyped-def]
    inbox, run_dir, command = sending.inbox, sending.run_dir, sending.command

    assert main(command) == 1  # the refused recipient fails; the others are delivered
    out = capsys.readouterr().out
    assert "1 message(s) failed" in out and f"{REFUSED} (region:East): {REFUSED}: 550 5.1.1 mailbox unavailable" in out
    drafts = {}
    for path in (run_dir / "mail").glob("*.eml"):
        draft = read_message(path.read_bytes())
        drafts[draft["Message-ID"]] = draft
    assert len(inbox.messages) == 5
    for rcpt, data in inbox.messages:
        got = read_message(data)
        draft = drafts[got["Message-ID"]]
        assert got["X-Unsent"] is None and draft["X-Unsent"] == "1"
        assert rcpt == [a.addr_spec for h in ("To", "Cc") if draft[h] for a in draft[h].addresses]
        assert (got["Subject"], got["To"], got["Cc"]) == (draft["Subject"], draft["To"], draft["Cc"])
        assert (
            attachments(got) == attachments(draft)
            and got.get_body(("html",)).get_content() == draft.get_body(("html",)).get_content()
        )
    received = {read_message(d)["To"].addresses[0].addr_spec: attachments(read_message(d)) for _, d in inbox.messages}
    east = (run_dir / "regions" / "East" / "kam_East_2026Q3.xlsx").read_bytes()
    assert received["manager.east@example.com"] == {"kam_East_2026Q3.xlsx": east}
    assert received["none@example.com"] == {}
    others = [files for who, files in received.items() if who != "manager.east@example.com"]
    assert all("kam_East_2026Q3.xlsx" not in files for files in others)
    log = sent_log(run_dir)
    assert sorted(e["status"] for e in log) == ["failed"] + ["sent"] * 5
    assert [e["email"] for e in log if e["status"] == "failed"] == [REFUSED]

    assert main(command) == 1  # only the refused one is tried again, and refused again
    assert len(inbox.messages) == 5

    workbook = run_dir / "regions" / "East" / "kam_East_2026Q3.xlsx"
    book = openpyxl.load_workbook(workbook)
    book.save(workbook)  # a rerun changed the region's workbook
    capsys.readouterr()
    assert main(command) == 1
    assert len(inbox.messages) == 5 and "changed since sent" in capsys.readouterr().out
    assert main([*command[:-1], "--resend"]) == 1
    assert len(inbox.messages) == 6
    rcpt, data = inbox.messages[-1]
    assert rcpt == ["manager.east@example.com"]
    assert attachments(read_message(data)) == {workbook.name: workbook.read_bytes()}


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made with the openssl command."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_with_a_self_signed_ca_and_a_login(
    mail_folder: MailFolder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    cert, key = _certificate(tmp_path, "server")
    stranger, _ = _certificate(tmp_path, "stranger")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        logins.append((data.login, data.password) if isinstance(data, LoginPassword) else (b"", b""))
        return AuthResult(success=logins[-1] == (b"kam", PASSWORD.encode()))

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=authenticate, auth_required=True, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    try:
        east = mail_folder.recipients.iloc[:1]
        smtp = {"host": "127.0.0.1", "port": port, "user": "kam", "ca_file": str(cert)}
        params = write_mail_params(tmp_path, mail_folder.params_file, east, smtp=smtp)
        run_dir = copy_run(mail_folder, tmp_path)
        monkeypatch.setenv("KAMREPORT_SMTP_PASSWORD", PASSWORD)

        monkeypatch.setenv("KAMREPORT_SMTP_CA_FILE", str(stranger))  # another CA: the server is not trusted
        assert main(["mail", str(params), "--run", str(run_dir), "--send"]) == 1
        error = capsys.readouterr().err
        assert f"cannot deliver through 127.0.0.1:{port} (starttls, user kam)" in error
        assert "CERTIFICATE_VERIFY_FAILED" in error
        assert inbox.messages == [] and sent_log(run_dir) == []  # nothing marked as sent

        monkeypatch.delenv("KAMREPORT_SMTP_CA_FILE")
        assert main(["mail", str(params), "--run", str(run_dir), "--send"]) == 0
    finally:
        controller.stop()
    assert logins == [(b"kam", PASSWORD.encode())]
    assert [rcpt for rcpt, _ in inbox.messages] == [["manager.east@example.com"]]
    assert [e["status"] for e in sent_log(run_dir)] == ["sent"]
    for path in [*run_dir.rglob("*"), params]:
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_unreachable_server_exits_1_and_marks_nothing_sent(
    mail_folder: MailFolder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    plain_server(monkeypatch, port)
    run_dir = copy_run(mail_folder, tmp_path)
    assert main(["mail", str(mail_folder.params_file), "--run", str(run_dir), "--send"]) == 1
    assert f"cannot deliver through 127.0.0.1:{port} (none)" in capsys.readouterr().err
    assert sent_log(run_dir) == []
    assert len(list((run_dir / "mail").glob("*.eml"))) == 6  # the drafts are there to send by hand


def test_dry_run_writes_and_sends_nothing(sending: Sending, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([*sending.command, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "6 message(s) would go through 127.0.0.1" in out and "region:East" in out
    assert not list((sending.run_dir / "mail").glob("*.eml")) and sending.inbox.messages == []


def test_mail_takes_the_run_folders_lock(mail_folder: MailFolder, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run_dir = copy_run(mail_folder, tmp_path)
    holder = subprocess.Popen(  # another process holds the folder, as a second command would
        [sys.executable, "-c", HOLD_LOCK, str(run_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert main(["mail", str(mail_folder.params_file), "--run", str(run_dir)]) == 2
    finally:
        holder.communicate("")
    assert "in use by another kamreport command" in capsys.readouterr().err
    assert not list((run_dir / "mail").glob("*.eml"))


def test_a_run_folder_whose_results_do_not_match_is_refused(mail_folder: MailFolder, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run_dir = copy_run(mail_folder, tmp_path)
    command = ["mail", str(mail_folder.params_file), "--run", str(run_dir)]
    manifest = run_dir / "run.json"
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**recorded, "results_key": "0" * 64}), encoding="utf-8")  # a later rerun
    assert main(command) == 2
    assert "are not those its reports were made from" in capsys.readouterr().err
    meta = run_dir / ".results" / "meta.json"
    stored = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**stored, "key": "0" * 64}), encoding="utf-8")  # made by another version
    assert main(command) == 2
    assert "computed by another version of kamreport or with other params" in capsys.readouterr().err
    assert not list((run_dir / "mail").glob("*.eml"))
