"""What a message carries: the scope's workbooks, byte for byte, within the size limit.

An account manager's plans go into one zip when there are more than
``mail.zip_plans_above``; each file inside is the run folder's file unchanged.  Above
``mail.max_attachment_mb`` the message attaches the scope's main workbook only and lists the
rest by name (with a link under ``report.link_base`` when it is set).  Every file of the
scope is hashed, attached or not, so the sent-log can tell when a rerun changed them.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kamreport.files import slug
from kamreport.layout import published_link as file_link  # one rule for links into a published run folder
from kamreport.mail.scopes import Scope, ScopeFiles
from kamreport.params import MailParams

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ZIP = ("application", "zip")
_MB = 1024 * 1024
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed member time: the same plans give the same zip


@dataclass(frozen=True)
class Attachment:
    """One attached file."""

    filename: str
    data: bytes
    mime: tuple[str, str]


@dataclass(frozen=True)
class Listed:
    """A file of the scope named in the body instead of attached."""

    name: str
    link: str | None


@dataclass(frozen=True)
class Pack:
    """A scope's attachments, the files too large to attach, and the hash of every file of the scope."""

    attached: tuple[Attachment, ...]
    listed: tuple[Listed, ...]
    hashes: dict[str, str]
    over_limit: bool = False

    @property
    def size(self) -> int:
        """Bytes attached."""
        return sum(len(a.data) for a in self.attached)


def build_pack(
    files: ScopeFiles, scope: Scope, run_dir: Path, run_name: str, mail: MailParams, link_base: str | None
) -> Pack:
    """The attachments of a scope (see the module docstring for the rules)."""
    data = {path: path.read_bytes() for path in files.all}
    hashes = {_relative(p, run_dir): hashlib.sha256(b).hexdigest() for p, b in data.items()}
    attached: list[Attachment] = []
    if files.main is not None:
        attached.append(Attachment(files.main.name, data[files.main], XLSX))
    if len(files.plans) > mail.zip_plans_above:
        name = f"plans_{slug(scope.key)}_{run_name}.zip"
        attached.append(Attachment(name, _zip({p.name: data[p] for p in files.plans}), ZIP))
    else:
        attached.extend(Attachment(p.name, data[p], XLSX) for p in files.plans)
    if sum(len(a.data) for a in attached) <= mail.max_attachment_mb * _MB:
        return Pack(tuple(attached), (), hashes)
    kept = tuple(a for a in attached if files.main is not None and a.filename == files.main.name)
    listed = tuple(
        Listed(_relative(p, run_dir), file_link(link_base, run_name, _relative(p, run_dir)) if link_base else None)
        for p in files.plans
    )
    return Pack(kept, listed, hashes, over_limit=True)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _relative(path: Path, run_dir: Path) -> str:
    return path.resolve().relative_to(run_dir.resolve()).as_posix()
