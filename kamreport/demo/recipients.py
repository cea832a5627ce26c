"""The demo's recipients file (``mail.recipients``): who gets which pack, all at example.com.

A manager per region, the head of sales for the company, and each account manager for their
own accounts.  An account manager with a Chinese name reads the message in Chinese.
"""

from __future__ import annotations

import re

import pandas as pd

RECIPIENTS_FILE = "recipients.csv"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def demo_recipients(accounts: pd.DataFrame) -> pd.DataFrame:
    """The recipients of a demo dataset, from its accounts table (columns name, email, scope, language, cc)."""
    rows = [("Head of Sales", "head.of.sales@example.com", "company", "en")]
    for region in sorted(accounts["region"].dropna().astype(str).unique()):
        local = re.sub(r"[^a-z0-9]+", ".", region.lower()).strip(".")
        rows.append((f"{region} Regional Manager", f"manager.{local}@example.com", f"region:{region}", "en"))
    for number, owner in enumerate(sorted(accounts["owner"].dropna().astype(str).unique()), start=1):
        chinese = bool(_CJK.search(owner))
        local = f"am{number:02d}" if chinese or not owner.isascii() else re.sub(r"[^a-z0-9]+", ".", owner.lower())
        rows.append((owner, f"{local.strip('.')}@example.com", f"owner:{owner}", "zh" if chinese else "en"))
    frame = pd.DataFrame(rows, columns=["name", "email", "scope", "language"])
    frame["cc"] = ""
    return frame
