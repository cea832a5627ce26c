"""The parts of ``kamreport mail`` on their own: scopes, addresses, the size rule, SMTP settings, bad input."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest
import yaml
from mail.conftest import MailFolder, write_mail_params

from kamreport.cli import main
from kamreport.errors import InputError, ParamsError, RecipientError
from kamreport.mail.attachments import build_pack, file_link
from kamreport.mail.recipients import check_address, read_recipients
from kamreport.mail.scopes import Scope, ScopeFiles, parse_scope
from kamreport.mail.smtp import smtp_settings
from kamreport.params import MailParams, load_params, parse_params

pytestmark = pytest.mark.xdist_group("mail")


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("company", Scope("company", "all")),
        ("region:East", Scope("region", "East")),
        (" Owner : 李娜 ", Scope("owner", "李娜")),
        ("group:G001", Scope("group", "G001")),
        ("region:a:b", Scope("region", "a:b")),
    ],
)
def test_scopes(text: str, scope: Scope) -> None:
    assert parse_scope(text) == scope


@pytest.mark.parametrize("text", ["", "region", "region:", "team:East", "company:all"])
def test_unknown_scope_forms(text: str) -> None:
    with pytest.raises(RecipientError, match="write company, region:<region>, owner:<account manager>"):
        parse_scope(text)


def test_addresses() -> None:
    assert check_address("Li.Na@Example.COM") == "Li.Na@example.com"
    assert check_address("x@bücher.de") == "x@xn--bcher-kva.de"
    with pytest.raises(RecipientError, match=r"'li na@example\.com' is not a valid address"):
        check_address("li na@example.com")
    with pytest.raises(RecipientError, match="must have an @-sign"):
        check_address("example.com")


def test_links_under_a_url_or_a_shared_folder() -> None:
    assert file_link("https://files.example.com/kam/", "2026Q3", "accounts/华东/plan a.xlsx") == (
        "https://files.example.com/kam/2026Q3/accounts/%E5%8D%8E%E4%B8%9C/plan%20a.xlsx"
    )
    assert file_link(r"\\server\kam", "2026Q3", "accounts/A1/plan.xlsx") == r"\\server\kam\2026Q3\accounts\A1\plan.xlsx"
    assert file_link("/mnt/kam", "2026Q3", "regions/East/kam.xlsx") == "/mnt/kam/2026Q3/regions/East/kam.xlsx"


def test_size_rule_keeps_the_main_workbook_and_lists_the_rest(mail_folder: MailFolder) -> None:
    plans = tuple(mail_folder.plans[mail_folder.owner_two])
    main_book = mail_folder.run_dir / "regions" / "East" / "kam_East_2026Q3.xlsx"
    files = ScopeFiles(main_book, plans)
    east = Scope("region", "East")
    roomy = build_pack(files, east, mail_folder.run_dir, "2026Q3", MailParams(zip_plans_above=1), None)
    assert [a.filename for a in roomy.attached] == [main_book.name, "plans_East_2026Q3.zip"]
    with zipfile.ZipFile(BytesIO(roomy.attached[1].data)) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in plans)
    tight = MailParams(max_attachment_mb=0.05)  # 51 KB: the region workbook alone is larger
    pack = build_pack(files, east, mail_folder.run_dir, "2026Q3", tight, "https://kam.example.com")
    assert pack.over_limit and [a.filename for a in pack.attached] == [main_book.name]
    assert pack.attached[0].data == main_book.read_bytes()
    relative = [p.relative_to(mail_folder.run_dir).as_posix() for p in plans]
    assert [(x.name, x.link) for x in pack.listed] == [(r, f"https://kam.example.com/2026Q3/{r}") for r in relative]
    assert set(pack.hashes) == {main_book.relative_to(mail_folder.run_dir).as_posix(), *relative}


def test_smtp_settings_from_params_then_the_environment(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("-", encoding="utf-8")
    params = parse_params(
        {"period": "2026Q3", "mail": {"smtp": {"host": "smtp.example.com", "user": "kam", "ca_file": "ca.pem"}}},
    ).model_copy(update={"source": str(tmp_path / "p.yaml")})
    settings = smtp_settings(params, env={})
    assert (settings.host, settings.port, settings.security, settings.user) == (
        "smtp.example.com",
        587,
        "starttls",
        "kam",
    )
    assert settings.ca_file == tmp_path / "ca.pem" and settings.password is None
    env = {
        "KAMREPORT_SMTP_HOST": "relay.example.com",
        "KAMREPORT_SMTP_SECURITY": "SSL",
        "KAMREPORT_SMTP_USER": "robot",
        "KAMREPORT_SMTP_PASSWORD": "pw-never-shown",
    }
    settings = smtp_settings(params, env=env)
    assert (settings.host, settings.port, settings.security, settings.user) == (
        "relay.example.com",
        465,
        "ssl",
        "robot",
    )
    assert settings.password == "pw-never-shown" and "pw-never-shown" not in repr(settings)
    with pytest.raises(ParamsError, match="KAMREPORT_SMTP_PORT='25x' is not a port number"):
        smtp_settings(params, env={"KAMREPORT_SMTP_PORT": "25x"})
    with pytest.raises(ParamsError, match="KAMREPORT_SMTP_SECURITY='tls': use starttls, ssl or none"):
        smtp_settings(params, env={"KAMREPORT_SMTP_SECURITY": "tls"})
    with pytest.raises(ParamsError, match=r"no SMTP server: set mail\.smtp\.host"):
        smtp_settings(parse_params({"period": "2026Q3"}), env={})


def test_the_password_is_not_a_params_key() -> None:
    with pytest.raises(ParamsError, match="unknown key 'password'"):
        parse_params({"period": "2026Q3", "mail": {"smtp": {"password": "x"}}})


def test_recipients_file_problems_name_the_mail_key(mail_folder: MailFolder, tmp_path: Path) -> None:
    no_email = pd.DataFrame({"Name": ["A"], "Address": ["a@example.com"], "Scope": ["company"]})
    params = load_params(write_mail_params(tmp_path, mail_folder.params_file, no_email))
    with pytest.raises(InputError, match=r"column 'E-mail' named in mail\.recipients\.columns is not in"):
        read_recipients(params)
    (tmp_path / "people.csv").unlink()
    with pytest.raises(InputError, match=r"file not found: .*people\.csv\. Check mail\.recipients\.path"):
        read_recipients(params)


def test_bad_rows_are_set_aside_with_their_reason(mail_folder: MailFolder, tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {
            "Name": ["A", "", "C", "D"],
            "E-mail": ["a@example.com", "b@example.com", "c@example.com", "d@example.com"],
            "Scope": ["company", "company", "region:East", "region:East"],
            "Language": ["fr", "en", "ZH", ""],
            "CC": ["", "", "x@example.com; y@", ""],
        }
    )
    params = load_params(write_mail_params(tmp_path, mail_folder.params_file, rows))
    found = read_recipients(params)
    assert [r.email for r in found.accepted] == ["d@example.com"]
    assert found.accepted[0].language == "en"  # the run's language
    assert found.rejected["reason"].tolist() == [
        "language 'fr' is not one of en, zh",
        "name is empty",
        "cc 'y@' is not a valid address: There must be something after the @-sign.",
    ]
    assert found.rejected["source_row"].tolist() == [2, 3, 4] and found.rows_read == 4


def test_recipients_from_a_derived_table_are_refused() -> None:
    with pytest.raises(ParamsError, match="from_table and set_aside do not apply"):
        parse_params({"period": "2026Q3", "mail": {"recipients": {"from_table": "sales"}}})


def test_mail_without_recipients_or_before_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("period: 2026Q3\n", encoding="utf-8")
    assert main(["mail", str(params)]) == 2
    assert f"no run in {tmp_path / 'output' / '2026Q3'}: make it with `kamreport run" in capsys.readouterr().err


def test_mail_without_a_recipients_key(mail_folder: MailFolder, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load(mail_folder.params_file.read_text(encoding="utf-8"))
    del doc["mail"]
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert main(["mail", str(params), "--run", str(mail_folder.run_dir), "--dry-run"]) == 2
    assert "mail.recipients is not set" in capsys.readouterr().err


def test_the_demo_writes_its_recipients(demo_params_file: Path) -> None:
    params = load_params(demo_params_file)
    accounts = pd.read_parquet(params.base_dir / "accounts.parquet")
    found = read_recipients(params)
    assert found.rejected.empty
    scopes = sorted(r.scope.id for r in found.accepted)
    owners = sorted(f"owner:{o}" for o in accounts["owner"].unique())
    regions = sorted(f"region:{r}" for r in accounts["region"].unique())
    assert scopes == sorted(["company", *regions, *owners])
    assert all(r.email.endswith("@example.com") for r in found.accepted)
    shipped = load_params(Path(__file__).parents[2] / "params" / "demo.yaml")
    assert shipped.mail.recipients is not None and shipped.mail.recipients.path == "recipients.csv"
