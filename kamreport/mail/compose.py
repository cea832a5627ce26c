"""One message per recipient: subject, an HTML body with inline CSS and its plain-text twin, attachments.

The HTML is what mail programs render: tables and inline styles only (no ``<style>`` block
they would strip, no script, no external image); the chart is a PNG in the message itself,
referenced by its Content-ID.  Every text from the data is escaped.  A draft carries
``X-Unsent: 1`` so that Outlook opens it as an editable draft; the message sent is the same
without that header.
"""

from __future__ import annotations

import html
from email import message_from_bytes
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr

from kamreport.mail.attachments import Listed, Pack
from kamreport.mail.content import Grid, ScopeContent
from kamreport.mail.recipients import Recipient
from kamreport.params import Language
from kamreport.report.labels import t

DRAFT_HEADER = "X-Unsent"
_FONT = "'Segoe UI',Arial,'Microsoft YaHei','PingFang SC',sans-serif"
_BLUE, _INK, _MUTED, _LINE, _SOFT = "#1f4e79", "#1d2733", "#5b6775", "#d9dee4", "#f5f7f9"
_CELL = {
    "rag-green": "background:#e8f5e9;color:#2e7d32;font-weight:600;",
    "rag-amber": "background:#fff8e1;color:#8d6e00;font-weight:600;",
    "rag-red": "background:#ffebee;color:#c62828;font-weight:600;",
    "num neg": "color:#c62828;text-align:right;",
    "num": "text-align:right;",
}


def compose(
    recipient: Recipient, content: ScopeContent, pack: Pack, sender: str | None, limit_mb: float
) -> EmailMessage:
    """The message for ``recipient`` (a draft: with ``X-Unsent: 1``).

    Parameters
    ----------
    recipient
        Who it goes to and in which language.
    content
        The scope's scorecard, changes, actions and chart in that language.
    pack
        The attachments and the files listed instead.
    sender
        ``mail.sender`` (the From line); a draft may go without.
    limit_mb
        ``mail.max_attachment_mb``, named when files are listed instead of attached.
    """
    lang = recipient.language
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = t("mail.subject", lang).format(
        company=content.company, scope=content.scope_label, period=content.period
    )
    if sender:
        msg["From"] = sender
    msg["To"] = Address(display_name=recipient.name, addr_spec=recipient.email)
    if recipient.cc:
        msg["Cc"] = ", ".join(recipient.cc)
    domain = _domain(sender)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid("kamreport", domain=domain)
    msg[DRAFT_HEADER] = "1"
    cid = make_msgid("chart", domain=domain) if content.chart else None
    msg.set_content(plain_body(recipient, content, pack, limit_mb))
    msg.add_alternative(html_body(recipient, content, pack, limit_mb, cid), subtype="html")
    html_part = msg.get_body(("html",))
    if content.chart and cid and html_part is not None:
        html_part.add_related(content.chart, "image", "png", cid=cid, filename="chart.png")
    for item in pack.attached:
        msg.add_attachment(item.data, maintype=item.mime[0], subtype=item.mime[1], filename=item.filename)
    return msg


def as_sent(draft: EmailMessage) -> EmailMessage:
    """The message as it goes out: a copy of the draft without ``X-Unsent``."""
    sent = message_from_bytes(draft.as_bytes(), _class=EmailMessage, policy=SMTP)
    del sent[DRAFT_HEADER]
    return sent


def html_body(recipient: Recipient, content: ScopeContent, pack: Pack, limit_mb: float, cid: str | None) -> str:
    """The HTML body: inline styles and tables only."""
    lang = recipient.language
    e = html.escape
    parts = [
        f'<p style="margin:0;color:{_MUTED};font-size:12px;letter-spacing:.04em;text-transform:uppercase;">'
        f"{e(content.company)}</p>",
        f'<h1 style="margin:4px 0 14px;font-size:22px;color:{_BLUE};font-weight:600;">{e(content.title)}</h1>',
        f'<p style="margin:0 0 6px;">{e(t("mail.greeting", lang).format(name=recipient.name))}</p>',
        f'<p style="margin:0 0 16px;">{e(_intro(content, pack, lang))}</p>',
        _grid_html(content.scorecard),
    ]
    if cid:
        parts.append(
            f'<p style="margin:16px 0;"><img src="cid:{e(cid[1:-1])}" alt="{e(content.chart_alt)}" width="640" '
            f'style="display:block;width:100%;max-width:640px;height:auto;border:0;"></p>'
        )
    parts.append(_heading(content.changes_title))
    items = "".join(f'<li style="margin:0 0 4px;">{e(s)}</li>' for s in content.changes)
    parts.append(f'<ul style="margin:0 0 16px;padding-left:20px;">{items}</ul>')
    if content.actions and content.actions.rows:
        parts.append(_grid_html(content.actions))
    elif content.actions:
        parts.append(_heading(content.actions.title) + f'<p style="color:{_MUTED};">{e(t("no_actions", lang))}</p>')
    parts.append(_files_html(pack, limit_mb, lang))
    footer = t("mail.footer", lang).format(made=content.made, as_of=content.as_of)
    parts.append(f'<p style="margin:20px 0 0;color:{_MUTED};font-size:12px;">{e(footer)}</p>')
    inner = "".join(parts)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{e(content.title)}</title></head>'
        f'<body style="margin:0;padding:0;background:{_SOFT};">'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:{_SOFT};">'
        f'<tr><td align="center" style="padding:20px 10px;">'
        f'<table role="presentation" width="720" cellpadding="0" cellspacing="0" style="max-width:720px;'
        f'background:#ffffff;border:1px solid {_LINE};border-top:4px solid {_BLUE};">'
        f'<tr><td style="padding:22px 26px;font-family:{_FONT};font-size:14px;line-height:1.45;color:{_INK};">'
        f"{inner}</td></tr></table></td></tr></table></body></html>"
    )


def plain_body(recipient: Recipient, content: ScopeContent, pack: Pack, limit_mb: float) -> str:
    """The plain-text alternative: the same content, tables as aligned columns."""
    lang = recipient.language
    lines = [t("mail.greeting", lang).format(name=recipient.name), "", _intro(content, pack, lang), ""]
    lines += _grid_text(content.scorecard)
    lines += ["", content.changes_title, *(f"- {s}" for s in content.changes), ""]
    if content.actions and content.actions.rows:
        lines += [content.actions.title, *(f"- {r[0].text}: {r[1].text}" for r in content.actions.rows)]
    elif content.actions:
        lines += [content.actions.title, t("no_actions", lang)]
    if pack.attached:
        lines += ["", t("mail.attached", lang), *(f"- {a.filename} ({size_text(len(a.data))})" for a in pack.attached)]
    if pack.listed:
        lines += ["", t("mail.too_large", lang).format(limit=f"{limit_mb:g}"), *(_listed_text(x) for x in pack.listed)]
    lines += ["", t("mail.footer", lang).format(made=content.made, as_of=content.as_of), ""]
    return "\n".join(lines)


def size_text(size: int) -> str:
    """``85 KB`` / ``12.4 MB``."""
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):,.1f} MB"


def _intro(content: ScopeContent, pack: Pack, lang: Language) -> str:
    key = "mail.intro" if pack.attached or pack.listed else "mail.intro_body_only"
    return t(key, lang).format(scope=content.scope_text, period=content.period)


def _heading(text: str) -> str:
    return (
        f'<h2 style="margin:18px 0 6px;font-size:16px;color:{_BLUE};border-bottom:1px solid {_LINE};'
        f'padding-bottom:3px;font-weight:600;">{html.escape(text)}</h2>'
    )


def _grid_html(grid: Grid) -> str:
    head = "".join(
        f'<th style="background:{_BLUE};color:#ffffff;font-weight:600;padding:5px 8px;text-align:left;'
        f'white-space:nowrap;">{html.escape(h)}</th>'
        for h in grid.headers
    )
    rows = []
    for i, row in enumerate(grid.rows):
        shade = f"background:{_SOFT};" if i % 2 else ""
        cells = "".join(
            f'<td style="padding:4px 8px;border-bottom:1px solid {_LINE};{shade}{_CELL.get(c.style, "")}">'
            f"{html.escape(c.text)}</td>"
            for c in row
        )
        rows.append(f"<tr>{cells}</tr>")
    table = (
        f'<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;'
        f'font-size:13px;margin:0 0 8px;"><tr>{head}</tr>{"".join(rows)}</table>'
    )
    return _heading(grid.title) + table


def _grid_text(grid: Grid) -> list[str]:
    table = [list(grid.headers), *([c.text for c in row] for row in grid.rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(grid.headers))]
    lines = [grid.title]
    for n, row in enumerate(table):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _files_html(pack: Pack, limit_mb: float, lang: Language) -> str:
    e = html.escape
    parts = []
    if pack.attached:
        items = "".join(f"<li>{e(a.filename)} ({e(size_text(len(a.data)))})</li>" for a in pack.attached)
        parts.append(_heading(t("mail.attached", lang)) + f'<ul style="margin:0;padding-left:20px;">{items}</ul>')
    if pack.listed:
        text = t("mail.too_large", lang).format(limit=f"{limit_mb:g}")
        items = "".join(
            f'<li style="overflow-wrap:anywhere;word-break:break-all;">{_listed_html(x)}</li>' for x in pack.listed
        )
        parts.append(f'<p style="margin:12px 0 4px;">{e(text)}</p><ul style="margin:0;padding-left:20px;">{items}</ul>')
    return "".join(parts)


def _listed_html(item: Listed) -> str:
    name = html.escape(item.name.rpartition("/")[2])
    if item.link and "://" in item.link:
        return f'<a href="{html.escape(item.link)}" style="color:{_BLUE};">{name}</a>'
    return name + (f" — {html.escape(item.link)}" if item.link else "")


def _listed_text(item: Listed) -> str:
    return f"- {item.name}" + (f" — {item.link}" if item.link else "")


def _domain(sender: str | None) -> str:
    address = parseaddr(sender or "")[1]
    return address.rpartition("@")[2] or "kamreport.invalid"
