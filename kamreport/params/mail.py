"""Delivery by e-mail: ``mail`` in a params file (recipients, sender, attachment limit, SMTP server).

None of these keys shape the numbers, so they stay outside the results key: editing an
address or the server never forces a recompute.  The SMTP password is not a key at all: it
is read from ``KAMREPORT_SMTP_PASSWORD`` only, so it is never written to a params file,
``run.json`` or a log.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from kamreport.params.base import StrictModel
from kamreport.params.sources import TableSource

Security = Literal["starttls", "ssl", "none"]


class SmtpParams(StrictModel):
    """The SMTP server ``kamreport mail --send`` delivers through (each key overridden by KAMREPORT_SMTP_*)."""

    host: str | None = Field(None, description="server name; env KAMREPORT_SMTP_HOST")
    port: int | None = Field(
        None, ge=1, le=65535, description="port; default 587 (starttls), 465 (ssl), 25 (none); env KAMREPORT_SMTP_PORT"
    )
    user: str | None = Field(
        None, description="login name (the password only from env KAMREPORT_SMTP_PASSWORD); env KAMREPORT_SMTP_USER"
    )
    security: Security = Field(
        "starttls", description="starttls, ssl (TLS from the start) or none; env KAMREPORT_SMTP_SECURITY"
    )
    ca_file: str | None = Field(
        None,
        description="PEM file of the CA to trust (relative to the params file); default the system's; "
        "env KAMREPORT_SMTP_CA_FILE",
    )
    timeout: float = Field(30.0, gt=0, description="seconds to wait for the server")


class MailParams(StrictModel):
    """Who gets which pack by e-mail (``kamreport mail``)."""

    recipients: TableSource | None = Field(
        None,
        description="file of recipients (name, email, scope, language, cc), read like a table "
        "(path relative to data.base_dir; sheet, encoding, columns …: the keys of data.tables.<table>)",
        json_schema_extra={"reference": "data.tables.<table>"},
    )
    sender: str | None = Field(
        None, description="From address, e.g. 'Sales reporting <kam@example.com>'; needed to --send"
    )
    max_attachment_mb: float = Field(
        10.0, gt=0, description="above this the message attaches the scope's workbook only and lists the rest"
    )
    zip_plans_above: int = Field(3, ge=1, description="an account manager's plans are zipped when more than this")
    top_actions: int = Field(5, ge=0, le=50, description="recommended actions listed in the message body")
    smtp: SmtpParams = Field(default_factory=SmtpParams)

    @field_validator("recipients")
    @classmethod
    def _plain_file(cls, source: TableSource | None) -> TableSource | None:
        if source is not None and (source.from_table or source.set_aside):
            raise ValueError("recipients are read from their own file: from_table and set_aside do not apply")
        return source
