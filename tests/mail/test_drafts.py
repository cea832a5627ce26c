"""Drafts as a user opens them: parsed back with ``email``, workbooks opened with openpyxl, bad rows set aside."""

from __future__ import annotations

import io
import re
import zipfile
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import openpyxl
import pandas as pd
import pytest
from mail.conftest import REFUSED, MailFolder

from kamreport.report.labels import t

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("mail")]


def read_message(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, _class=EmailMessage, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def drafts(folder: MailFolder) -> dict[str, EmailMessage]:
    """Every draft by its To address."""
    found = {}
    for path in sorted(folder.mail_dir.glob("*.eml")):
        message = read_message(path.read_bytes())
        found[message["To"].addresses[0].addr_spec] = message
    return found


def attachments(message: EmailMessage) -> dict[str, bytes]:
    return {str(part.get_filename()): part.get_payload(decode=True) for part in message.iter_attachments()}


def quarter_revenue(folder: MailFolder, column: str, value: str) -> float:
    """The scope's revenue in 2026Q3 summed from the raw demo files (not from kamreport's results)."""
    data = folder.params.base_dir
    accounts = pd.read_parquet(data / "accounts.parquet")
    sales = pd.read_parquet(data / "sales.parquet")
    ids = set(accounts.loc[accounts[column] == value, "account_id"])
    quarter = sales[(sales["date"] >= "2026-07-01") & (sales["date"] <= "2026-09-30") & sales["account_id"].isin(ids)]
    return float(quarter["revenue"].sum())


def test_one_draft_per_served_recipient_and_the_others_set_aside(mail_folder: MailFolder) -> None:
    found = drafts(mail_folder)
    assert set(found) == {"manager.east@example.com", "two@example.com", "one@example.com", "none@example.com",
                          "group@example.com", REFUSED}  # fmt: skip
    assert all(m["X-Unsent"] == "1" for m in found.values())
    rejected = pd.read_csv(mail_folder.mail_dir / "rejected.csv", encoding="utf-8-sig")
    reasons = dict(zip(rejected["email"], rejected["reason"], strict=True))
    assert reasons["head@example.com"].startswith("scope without a report: kam_company_2026Q3.xlsx")
    assert "not a valid address" in reasons["not-an-address"]
    assert reasons["west@example.com"].startswith("unknown scope 'region:West': no region 'West'")
    assert reasons["Manager.East@example.com"] == "duplicate: the same address and scope as row 2"
    assert rejected["source_row"].tolist() == [8, 9, 10, 11]  # the header is row 1
    assert len(found) + len(rejected) == len(mail_folder.recipients)  # every row accounted for


def test_region_draft_carries_its_workbook_and_its_figures(mail_folder: MailFolder) -> None:
    message = drafts(mail_folder)["manager.east@example.com"]
    assert message["Subject"] == "Demo Precision Components — Region East — 2026Q3: key-account pack"
    assert message["From"] == "KAM reports <kam@example.com>"
    workbook = mail_folder.run_dir / "regions" / "East" / "kam_East_2026Q3.xlsx"
    assert attachments(message) == {workbook.name: workbook.read_bytes()}
    book = openpyxl.load_workbook(io.BytesIO(attachments(message)[workbook.name]))
    assert book.sheetnames[0] == "Summary"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    revenue = f"¥{quarter_revenue(mail_folder, 'region', 'East'):,.0f}"
    assert revenue in html and revenue in text
    # the top actions, most money at stake first, each with its amount
    actions = mail_folder.run.data.results.actions
    east = set(mail_folder.run.accounts.loc[mail_folder.run.accounts["region"] == "East", "account_id"])
    stakes = {f"¥{a:,.0f}" for a in actions.loc[actions["account_id"].isin(east), "amount"].dropna()}
    lines = text.split(t("title.actions", "en"), 1)[1].splitlines()[1:]
    section = lines[: [line.strip() for line in lines].index("")]
    listed = [line.rsplit("(", 1)[1] for line in section if line.startswith("- ")]
    shown = [item.removesuffix(" at stake)") for item in listed]
    assert shown and set(shown) <= stakes | {f"¥{a:,.0f}" for a in actions["amount"].dropna()}
    amounts = [float(re.sub(r"[^\d.]", "", item)) for item in shown]
    assert amounts == sorted(amounts, reverse=True)
    assert "<script" not in html.lower() and "http" not in html and "<style" not in html.lower()
    sources = re.findall(r'src="([^"]+)"', html)
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(sources) == 1 and len(images) == 1
    assert sources[0] == "cid:" + images[0]["Content-ID"].strip("<>")
    assert images[0].get_payload(decode=True).startswith(b"\x89PNG")


def test_account_manager_gets_only_their_plans_zipped(mail_folder: MailFolder) -> None:
    message = drafts(mail_folder)["two@example.com"]
    assert message["Cc"] == "boss@example.com"
    files = attachments(message)
    assert list(files) == [f"plans_{mail_folder.owner_two.replace(' ', '_')}_2026Q3.zip"]
    with zipfile.ZipFile(io.BytesIO(next(iter(files.values())))) as archive:
        inside = {name: archive.read(name) for name in archive.namelist()}
    mine = mail_folder.plans[mail_folder.owner_two]
    assert inside == {p.name: p.read_bytes() for p in mine}
    for data in inside.values():
        assert "Profile" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    revenue = f"¥{quarter_revenue(mail_folder, 'owner', mail_folder.owner_two):,.0f}"
    assert revenue in message.get_body(("html",)).get_content()


def test_no_message_carries_another_scopes_files(mail_folder: MailFolder) -> None:
    found = drafts(mail_folder)
    one = mail_folder.plans[mail_folder.owner_one]
    assert attachments(found["one@example.com"]) == {p.name: p.read_bytes() for p in one}
    group = mail_folder.run_dir / "groups" / mail_folder.group / f"plan_{mail_folder.group}_2026Q3.xlsx"
    assert attachments(found["group@example.com"]) == {group.name: group.read_bytes()}
    none = found["none@example.com"]
    assert attachments(none) == {}
    assert "No key account, so no plan is attached." in none.get_body(("plain",)).get_content()


def test_language_of_the_recipient(mail_folder: MailFolder) -> None:
    message = drafts(mail_folder)["one@example.com"]
    assert message["Subject"] == f"Demo Precision Components — 客户经理 {mail_folder.owner_one} — 2026Q3：重点客户报告"
    html = message.get_body(("html",)).get_content()
    assert "关键指标" in html and "Scorecard" not in html
