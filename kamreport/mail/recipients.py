"""The recipients file (``mail.recipients``): read like a table, each row checked, bad rows set aside.

The file is read through the data layer's readers (CSV of any delimiter and encoding,
Excel, Parquet; ``columns`` mapping, lookups and derived columns), but it is not an input
of the results: it is read again on every ``kamreport mail`` and never counts towards the
reject limit.  A row that cannot be served — an invalid address, an unknown scope, a
duplicate — is set aside whole with its file, row number and reason; the others go on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from kamreport.contract import RECIPIENTS
from kamreport.data.canonical import to_canonical
from kamreport.data.raw import SOURCE_FILE, SOURCE_ROW
from kamreport.data.sources import read_raw
from kamreport.errors import InputError, ParamsError, RecipientError
from kamreport.mail.scopes import Scope, parse_scope
from kamreport.params import Language, RunParams

REJECTED_COLUMNS = ["source_file", "source_row", "name", "email", "scope", "language", "cc", "reason"]
_SEPARATORS = re.compile(r"[;,]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Recipient:
    """One recipient row that passed its checks."""

    name: str
    email: str
    scope: Scope
    language: Language
    cc: tuple[str, ...]
    source_file: str
    source_row: int

    @property
    def key(self) -> tuple[str, str]:
        """Who gets what: (address, scope); a second row with the same key is a duplicate."""
        return (self.email.lower(), self.scope.id)


@dataclass
class RecipientList:
    """The rows of the recipients file: those accepted, and those set aside with their reason."""

    accepted: list[Recipient]
    rejected: pd.DataFrame

    @property
    def rows_read(self) -> int:
        """Rows in the file: accepted + set aside."""
        return len(self.accepted) + len(self.rejected)

    def set_aside(self, recipient: Recipient, reason: str) -> None:
        """Move an accepted recipient to the rejected rows (e.g. its scope has no report)."""
        self.accepted.remove(recipient)
        row = {
            "source_file": recipient.source_file,
            "source_row": recipient.source_row,
            "name": recipient.name,
            "email": recipient.email,
            "scope": recipient.scope.id,
            "language": recipient.language,
            "cc": "; ".join(recipient.cc),
            "reason": reason,
        }
        self.rejected = pd.concat([self.rejected, pd.DataFrame([row])], ignore_index=True)

    def keep(self, check: Callable[[Recipient], object]) -> None:
        """Set aside every recipient for which ``check`` raises :class:`RecipientError`."""
        for recipient in list(self.accepted):
            try:
                check(recipient)
            except RecipientError as exc:
                self.set_aside(recipient, str(exc))
        self.rejected = self.rejected.sort_values(["source_file", "source_row"], kind="stable", ignore_index=True)


def read_recipients(params: RunParams) -> RecipientList:
    """Read ``mail.recipients`` and check every row.

    Raises
    ------
    ParamsError
        ``mail.recipients`` is not set.
    InputError
        The file is missing or unreadable, or a required column (name, email, scope) is
        missing after mapping; the message names the file and the key to set.
    """
    spec = params.mail.recipients
    if spec is None:
        raise ParamsError(
            f"{params.source or 'params'}: mail.recipients is not set; name a file of recipients "
            "(columns name, email, scope; optional language, cc), e.g. mail: {recipients: {path: recipients.csv}}"
        )
    try:
        raw = read_raw(RECIPIENTS.name, spec, params.base_dir)
        canonical = to_canonical(raw, spec, RECIPIENTS, None, params.base_dir)
    except InputError as exc:  # the data layer names data.tables.<table>; recipients live under mail
        raise InputError(str(exc).replace("data.tables.recipients", "mail.recipients")) from exc
    frame = canonical.frame
    unreadable = canonical.failures["reason"].groupby(level=0).first()
    accepted: list[Recipient] = []
    rejected: list[dict[str, object]] = []
    first_row: dict[tuple[str, str], int] = {}
    files = raw.frame[SOURCE_FILE].astype(str).tolist()
    numbers = raw.frame[SOURCE_ROW].astype(int).tolist()
    positions = frame.index.get_indexer(unreadable.index)
    problems = {int(p): str(reason) for p, reason in zip(positions, unreadable, strict=True)}
    for position, (_, row) in enumerate(frame.iterrows()):
        given = {c: _text(row.get(c)) for c in ("name", "email", "scope", "language", "cc")}
        where = (files[position], numbers[position])
        try:
            if position in problems:
                raise RecipientError(problems[position])
            recipient = _recipient(given, where, params.language)
            if recipient.key in first_row:
                raise RecipientError(f"duplicate: the same address and scope as row {first_row[recipient.key]}")
        except RecipientError as exc:
            rejected.append({"source_file": where[0], "source_row": where[1], **given, "reason": str(exc)})
            continue
        first_row[recipient.key] = recipient.source_row
        accepted.append(recipient)
    for _, bad in raw.bad_lines.iterrows():
        reason = f"{bad['reason']}: {bad['text']}"
        rejected.append({"source_file": bad[SOURCE_FILE], "source_row": bad[SOURCE_ROW], "reason": reason})
    return RecipientList(accepted, pd.DataFrame(rejected, columns=REJECTED_COLUMNS))


def check_address(text: str, what: str = "email") -> str:
    """The address in its ASCII form (an international domain as punycode).

    Raises
    ------
    RecipientError
        Not a valid address; the reason says why (no @-sign, invalid characters …).
    """
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise RecipientError(f"{what} '{text}' is not a valid address: {exc}") from exc
    return str(checked.ascii_email or checked.normalized)


def _recipient(given: dict[str, str], where: tuple[str, int], default_language: Language) -> Recipient:
    for column in RECIPIENTS.required_names:
        if not given[column]:
            raise RecipientError(f"{column} is empty")
    language = given["language"].lower() or default_language
    allowed = RECIPIENTS.by_name["language"].values
    if language not in allowed:
        raise RecipientError(f"language '{given['language']}' is not one of {', '.join(allowed)}")
    cc = tuple(check_address(a.strip(), "cc") for a in _SEPARATORS.split(given["cc"]) if a.strip())
    return Recipient(
        name=given["name"],
        email=check_address(given["email"]),
        scope=parse_scope(given["scope"]),
        language="zh" if language == "zh" else "en",
        cc=cc,
        source_file=where[0],
        source_row=where[1],
    )


def _text(value: object) -> str:
    """A cell as one line of text (a line break in a name would break the message header)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return _SPACES.sub(" ", str(value)).strip()
