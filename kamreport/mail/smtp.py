"""Sending over SMTP: STARTTLS (default), SSL or none; settings from params, overridden by the environment.

``mail.smtp.host``, ``port``, ``user``, ``security`` and ``ca_file`` may each be overridden by
``KAMREPORT_SMTP_HOST``, ``_PORT``, ``_USER``, ``_SECURITY`` and ``_CA_FILE``.  The password
comes only from ``KAMREPORT_SMTP_PASSWORD``; it is held in memory for the login and never
written anywhere (it is not even shown in this object's ``repr``).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import TypeGuard, get_args

from kamreport.errors import MailServerError, ParamsError
from kamreport.params import RunParams
from kamreport.params.mail import Security

ENV_PREFIX = "KAMREPORT_SMTP_"
PASSWORD_ENV = "KAMREPORT_SMTP_PASSWORD"
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect (password kept out of the repr)."""

    host: str
    port: int
    security: Security
    user: str | None = None
    ca_file: Path | None = None
    timeout: float = 30.0
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        """``smtp.example.com:587 (starttls, user kam)`` — what the console shows."""
        who = f", user {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}{who})"


def _is_security(text: str) -> TypeGuard[Security]:
    return text in get_args(Security)


def smtp_settings(params: RunParams, env: Mapping[str, str] | None = None) -> SmtpSettings:
    """The SMTP settings of ``mail.smtp``, each overridden by its ``KAMREPORT_SMTP_*`` variable.

    Raises
    ------
    ParamsError
        No host, or a port or security value that is not valid (naming the key or variable).
    """
    env = os.environ if env is None else env
    smtp = params.mail.smtp
    host = env.get(f"{ENV_PREFIX}HOST") or smtp.host
    if not host:
        raise ParamsError(
            f"{params.source or 'params'}: no SMTP server: set mail.smtp.host in the params file "
            f"or the environment variable {ENV_PREFIX}HOST"
        )
    security = env.get(f"{ENV_PREFIX}SECURITY", smtp.security).strip().lower()
    if not _is_security(security):
        raise ParamsError(f"{ENV_PREFIX}SECURITY='{security}': use starttls, ssl or none")
    port_text = env.get(f"{ENV_PREFIX}PORT")
    try:
        port = int(port_text) if port_text else smtp.port or DEFAULT_PORTS[security]
    except ValueError as exc:
        raise ParamsError(f"{ENV_PREFIX}PORT='{port_text}' is not a port number") from exc
    ca_text = env.get(f"{ENV_PREFIX}CA_FILE") or smtp.ca_file
    ca_file = (params.params_dir / ca_text).resolve() if ca_text else None
    if ca_file is not None and not ca_file.is_file():
        raise ParamsError(f"mail.smtp.ca_file: {ca_file} does not exist; give the PEM file of the server's CA")
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        user=env.get(f"{ENV_PREFIX}USER") or smtp.user,
        ca_file=ca_file,
        timeout=smtp.timeout,
        password=env.get(PASSWORD_ENV),
    )


class Mailer:
    """One SMTP session: ``with Mailer(settings) as mailer: mailer.send(message)``.

    Connecting, TLS and login failures raise :class:`MailServerError`; a message the server
    refuses raises :class:`smtplib.SMTPException` for the caller to record and go on.  A
    dropped connection is opened again for the next message.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def connect(self) -> None:
        """Open the session: connect, TLS as configured, log in when a user is set.

        Raises
        ------
        MailServerError
            The server cannot be reached, refuses TLS or the login (the message says which).
        """
        s = self.settings
        try:
            context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            self._smtp = smtp
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailServerError(f"cannot deliver through {s.describe()}: {smtp_reason(exc)}") from exc

    def send(self, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
        """Send one message; returns the recipients the server refused while accepting others.

        Raises
        ------
        smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError
            This message was not accepted (the others may be).
        MailServerError
            The server refuses the sender: no message can go.
        """
        if self._smtp is None:
            self.connect()
        assert self._smtp is not None
        try:
            return self._smtp.send_message(message)
        except smtplib.SMTPSenderRefused as exc:
            raise MailServerError(f"{self.settings.describe()} refuses the sender: {smtp_reason(exc)}") from exc
        except smtplib.SMTPServerDisconnected:
            self._smtp = None  # the next message reconnects
            raise

    def close(self) -> None:
        """End the session (quietly when it is already gone)."""
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (OSError, smtplib.SMTPException):
            self._smtp.close()
        self._smtp = None


def smtp_reason(exc: BaseException) -> str:
    """The server's own words where it gave any, else the exception's text."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return refused_text(exc.recipients)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return str(exc) or type(exc).__name__


def refused_text(refused: dict[str, tuple[int, bytes]]) -> str:
    """``a@example.com: 550 no such user; …`` for the recipients a server refused."""
    return "; ".join(f"{who}: {code} {text.decode(errors='replace')}" for who, (code, text) in refused.items())
