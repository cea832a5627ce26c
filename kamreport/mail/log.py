"""The sent-log: every delivery attempt, one JSON line each, in ``<run>/mail/sent.jsonl``.

A line holds the recipient, the scope, the Message-ID, the hash of every file of the scope,
the time and the status (``sent`` or ``failed`` with the server's reason).  A line is added
and flushed to disk right after the server answered, so a send that stops half-way still
knows who got their mail; a second ``--send`` sends nothing again, and one whose files a
rerun changed waits for ``--resend``.  No password or server setting is ever written here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from kamreport.mail.recipients import Recipient

SENT_LOG = "sent.jsonl"
State = Literal["new", "sent", "changed"]


@dataclass
class SentLog:
    """The sent-log of one run folder's ``mail/``."""

    path: Path

    def entries(self) -> list[dict[str, Any]]:
        """Every line, oldest first (a line cut short by a crash is skipped)."""
        if not self.path.is_file():
            return []
        found = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return found

    def last_sent(self, recipient: Recipient) -> dict[str, Any] | None:
        """The latest successful delivery to this recipient and scope, if any."""
        sent = [
            e
            for e in self.entries()
            if e.get("status") == "sent" and (str(e.get("email", "")).lower(), e.get("scope")) == recipient.key
        ]
        return sent[-1] if sent else None

    def state(self, recipient: Recipient, hashes: dict[str, str]) -> State:
        """``new`` (never sent), ``sent`` (sent with these very files) or ``changed`` (sent, files changed since)."""
        last = self.last_sent(recipient)
        if last is None:
            return "new"
        return "sent" if last.get("attachments") == hashes else "changed"

    def record(
        self,
        recipient: Recipient,
        message_id: str,
        hashes: dict[str, str],
        status: Literal["sent", "failed"],
        error: str | None = None,
    ) -> None:
        """Append one delivery attempt and flush it to disk."""
        entry = {
            "time": datetime.now().astimezone().isoformat(timespec="seconds"),
            "name": recipient.name,
            "email": recipient.email,
            "cc": list(recipient.cc),
            "scope": recipient.scope.id,
            "message_id": message_id,
            "attachments": hashes,
            "status": status,
            "error": error,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
