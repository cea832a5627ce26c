"""A run folder to mail: the session's small demo, a few workbooks, hand-written recipients, a real SMTP server."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from aiosmtpd.controller import Controller

from kamreport.cli import main
from kamreport.params import RunParams, load_params
from kamreport.report.excel.workbook import write_workbook
from kamreport.report.views import Run
from kamreport.run.store import RESULTS_DIR, load_or_compute

REFUSED = "refuse-me@example.com"


@dataclass
class MailFolder:
    """The params file, the run, which scopes it has and the recipients file's rows."""

    params_file: Path
    params: RunParams
    run: Run
    owner_two: str  # two key accounts: their plans zipped (mail.zip_plans_above is 1 here)
    owner_one: str  # one key account: its plan attached as it is
    owner_none: str  # no key account: the body only
    group: str
    plans: dict[str, list[Path]]  # owner → their plans in the run folder
    recipients: pd.DataFrame

    @property
    def run_dir(self) -> Path:
        return self.params.run_dir

    @property
    def mail_dir(self) -> Path:
        return self.params.run_dir / "mail"


def write_mail_params(folder: Path, demo_params_file: Path, recipients: pd.DataFrame, **mail: Any) -> Path:
    """The session demo's params with its own output folder and a ``mail`` section."""
    doc = yaml.safe_load(demo_params_file.read_text(encoding="utf-8"))
    recipients.to_csv(folder / "people.csv", index=False)
    doc["output_dir"] = str(folder / "output")
    doc["mail"] = {
        "recipients": {"path": str(folder / "people.csv"), "columns": {"E-mail": "email"}},
        "sender": "KAM reports <kam@example.com>",
        "zip_plans_above": 1,
        **mail,
    }
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def mail_folder(tmp_path_factory: pytest.TempPathFactory, demo_params_file: Path, demo_computed: Any) -> MailFolder:
    """A run folder with the East workbook, a group plan and three account managers' plans, drafts written.

    The session's stored results are copied in (nothing is computed again); the workbooks are
    written by the function the report notebooks call; ``kamreport run --only data --mail``
    then records the run and writes the drafts.
    """
    folder = tmp_path_factory.mktemp("mail")
    run = Run(demo_computed, "en")
    accounts = run.accounts
    key = accounts[accounts["account_id"].isin(run.key_accounts)]
    counts = key.groupby("owner").size()
    owner_two = str(counts[counts == 2].index[0])
    owner_one = str(counts[counts == 1].index[0])
    owner_none = str(sorted(set(accounts["owner"].astype(str)) - set(counts.index))[0])
    group = run.groups[0]
    recipients = pd.DataFrame(
        [
            ("East Manager", "manager.east@example.com", "region:East", "en", ""),
            (owner_two, "two@example.com", f"owner:{owner_two}", "en", "boss@example.com"),
            (owner_one, "one@example.com", f"owner:{owner_one}", "zh", ""),
            (owner_none, "none@example.com", f"owner:{owner_none}", "", ""),
            ("Group Lead", "group@example.com", f"group:{group}", "en", ""),
            ("Refused", REFUSED, "region:East", "en", ""),
            ("Head of Sales", "head@example.com", "company", "en", ""),
            ("Bad Address", "not-an-address", "region:East", "en", ""),
            ("West Manager", "west@example.com", "region:West", "en", ""),
            ("East Again", "Manager.East@example.com", "region:East", "en", ""),
        ],
        columns=["Name", "E-mail", "Scope", "Language", "CC"],
    )
    params_file = write_mail_params(folder, demo_params_file, recipients)
    params = load_params(params_file)
    shutil.copytree(demo_computed.params.run_dir / RESULTS_DIR, params.run_dir / RESULTS_DIR)
    mine = Run(load_or_compute(params), "en")
    write_workbook(mine.region("East"))
    write_workbook(mine.group(group))
    plans: dict[str, list[Path]] = {}
    for owner in (owner_two, owner_one):
        ids = sorted(key.loc[key["owner"] == owner, "account_id"].astype(str))
        plans[owner] = [write_workbook(mine.account(a)) for a in ids]
    assert main(["run", str(params_file), "--only", "data", "--mail"]) == 0
    return MailFolder(params_file, params, mine, owner_two, owner_one, owner_none, group, plans, recipients)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What a loopback SMTP server received: (envelope recipients, message bytes) per message."""

    refuse: set[str] = field(default_factory=set)
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) on a free loopback port; yields (inbox, port)."""
    inbox = Inbox(refuse={REFUSED})
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def copy_run(folder: MailFolder, target: Path) -> Path:
    """A copy of the run folder (for ``--run``) without drafts: its own sent-log, the charts already drawn."""
    copy = target / "copied" / folder.run_dir.name
    shutil.copytree(folder.run_dir, copy, ignore=shutil.ignore_patterns("*.eml", "rejected.csv", ".lock"))
    return copy
