"""One customer under several ids: likely duplicates reported, listed ones merged.

Exports list one customer under several ids (Superstore: one name under up to five ids;
Chinese exports write 有限公司, full-width brackets and letters inconsistently).  Names that
are equal once width, case, spaces, punctuation and legal suffixes are set aside are
reported as ``possible_duplicate`` rows of the data-quality report — never merged on a guess.
A company that knows which ids are one customer lists them in ``data.merge`` (columns
``account_id`` and ``into``): each listed account's rows then count under its ``into``
account, before any KPI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.contract import MERGE
from kamreport.data.canonical import to_canonical
from kamreport.data.raw import SOURCE_FILE, SOURCE_ROW
from kamreport.data.schema import TEXT
from kamreport.data.sources import read_raw
from kamreport.errors import InputError
from kamreport.params import RunParams
from kamreport.records import QUALITY_COLUMNS

# Legal forms, removed wherever they stand: Chinese ones as written (longest first),
# Latin ones as whole words once punctuation is gone ("Co., Ltd." → "co ltd").
LEGAL_CJK = ("股份有限公司", "有限责任公司", "有限公司", "公司")
LEGAL_WORDS = (
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "srl",
    "spa",
    "bv",
    "nv",
    "pte",
    "pty",
)
_LEGAL_CJK_RE = "|".join(LEGAL_CJK)
_LEGAL_WORDS_RE = r"\b(?:" + "|".join(LEGAL_WORDS) + r")\b"


def name_key(names: pd.Series) -> pd.Series:
    """Each name reduced to what tells customers apart: NFKC width, case, punctuation, spaces and legal forms gone.

    ``苏州恒达精密模具有限公司（Suzhou）``, ``苏州恒达精密模具 (SUZHOU)`` and
    ``苏州恒达精密模具有限公司 (Suzhou)`` all give ``苏州恒达精密模具suzhou``; ``Acme Co., Ltd.``
    and ``ACME Inc`` give ``acme``.  Empty where nothing is left.
    """
    text = names.astype("string").str.normalize("NFKC").str.casefold()
    text = text.str.replace(r"[\W_]+", " ", regex=True)
    text = text.str.replace(_LEGAL_CJK_RE, " ", regex=True).str.replace(_LEGAL_WORDS_RE, " ", regex=True)
    text = text.str.replace(r"\s+", "", regex=True)
    return text.mask(text == "")


def possible_duplicates(accounts: pd.DataFrame, source_file: pd.Series, source_row: pd.Series) -> pd.DataFrame:
    """Data-quality rows (``kind = possible_duplicate``) for accounts whose names are alike.

    Parameters
    ----------
    accounts
        The clean accounts (``account_id``, ``account_name``), any index.
    source_file, source_row
        Where each account was read (same index as ``accounts``; missing for derived accounts).

    Each account after the first of a group of alike names gets one row naming the first.
    """
    key = name_key(accounts["account_name"])
    alike = key.notna() & key.duplicated(keep=False)
    if not alike.any():
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    group = accounts[alike.to_numpy()].assign(_key=key[alike])
    first = group.groupby("_key", sort=False)[["account_id", "account_name"]].transform("first")
    later = group["account_id"] != first["account_id"]
    rows = group[later.to_numpy()]
    firsts = first[later.to_numpy()]
    reason = (
        "account "
        + rows["account_id"].astype(str)
        + " '"
        + rows["account_name"].astype(str)
        + "' may be the same customer as "
        + firsts["account_id"].astype(str)
        + " '"
        + firsts["account_name"].astype(str)
        + "' (names equal once width, case, spaces, punctuation and legal forms are set aside); "
        "if so, list it in data.merge"
    )
    return pd.DataFrame(
        {
            "table": "accounts",
            "kind": "possible_duplicate",
            "source_file": source_file.reindex(rows.index).astype("string").fillna("").to_numpy(),
            "source_row": source_row.reindex(rows.index).to_numpy(),
            "reason": reason.to_numpy(),
            "row": [
                json.dumps({"account_id": a, "account_name": n}, ensure_ascii=False)
                for a, n in zip(rows["account_id"].astype(str), rows["account_name"].astype(str), strict=True)
            ],
        },
        columns=QUALITY_COLUMNS,
    )


MERGED_COLUMNS = ["account_id", "account_name", "into", "into_name", "source_file", "source_row"]


@dataclass
class Merge:
    """Accounts merged away (``account_id`` → final ``into``), as listed in ``data.merge``."""

    into: dict[str, str]
    records: pd.DataFrame  # MERGED_COLUMNS, one row per account merged away

    @classmethod
    def none(cls) -> Merge:
        """No merge table."""
        return cls({}, pd.DataFrame(columns=MERGED_COLUMNS))

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with every merged ``account_id`` replaced by the account it was merged into."""
        if not self.into or "account_id" not in frame or frame.empty:
            return frame
        ids = frame["account_id"]
        if isinstance(ids.dtype, pd.CategoricalDtype):
            ids = ids.astype("string")
        hit = ids.isin(list(self.into)).to_numpy(dtype=bool)
        if not hit.any():
            return frame
        replaced = ids.astype("string").copy()
        replaced[hit] = ids[hit].astype("string").map(self.into)
        return frame.assign(account_id=replaced)

    def apply_arrow(self, data: pa.Table) -> pa.Table:
        """:meth:`apply` for an Arrow table."""
        if not self.into or "account_id" not in data.column_names or data.num_rows == 0:
            return data
        ids = pc.cast(data.column("account_id").combine_chunks(), TEXT)
        merged = pc.is_in(ids, value_set=pa.array(list(self.into), type=TEXT))
        if not pc.any(merged).as_py():
            return data
        encoded = pc.dictionary_encode(ids)
        targets = pa.array([self.into.get(v, v) for v in encoded.dictionary.to_pylist()], type=TEXT)
        replaced = targets.take(encoded.indices)
        return data.set_column(data.column_names.index("account_id"), "account_id", replaced)


def read_merge(params: RunParams, accounts: pd.DataFrame) -> Merge:
    """The merge table of ``data.merge``, checked against the accounts.

    Raises
    ------
    InputError
        A row names an account that is not in accounts, an id is merged twice, an account
        is merged into itself, or the merges go round in a circle.  The merge table is
        a decision, not data: a wrong row stops the run rather than being set aside.
    """
    spec = params.data.merge
    if spec is None:
        return Merge.none()
    raw = read_raw("merge", spec, params.base_dir)
    canonical = to_canonical(raw, spec, MERGE, None, params.base_dir)
    frame = canonical.frame
    where = raw.frame[[SOURCE_FILE, SOURCE_ROW]].reset_index(drop=True)

    def fail(row: int, problem: str) -> InputError:
        path = Path(str(where.loc[row, SOURCE_FILE])).name
        return InputError(
            f"data.merge ({path}, row {where[SOURCE_ROW].iloc[row]}): {problem}. Fix the merge table and run again."
        )

    known = set(accounts["account_id"].astype(str))
    into: dict[str, str] = {}
    located: dict[str, int] = {}
    for row in frame.index:
        source, target = frame.loc[row, "account_id"], frame.loc[row, "into"]
        if pd.isna(source) or pd.isna(target):
            raise fail(row, "account_id and into must both be given")
        for value in (source, target):
            if value not in known:
                raise fail(row, f"account '{value}' is not in accounts")
        if source == target:
            raise fail(row, f"account '{source}' is merged into itself")
        if source in into:
            raise fail(row, f"account '{source}' is merged twice")
        into[str(source)] = str(target)
        located[str(source)] = row
    final = {source: _final(source, into) for source in into}
    names = accounts.set_index(accounts["account_id"].astype(str))["account_name"]
    sources = list(final)
    rows = [located[s] for s in sources]
    records = pd.DataFrame(
        {
            "account_id": sources,
            "account_name": [str(names.get(s, "")) for s in sources],
            "into": [final[s] for s in sources],
            "into_name": [str(names.get(final[s], "")) for s in sources],
            "source_file": [str(where.loc[r, SOURCE_FILE]) for r in rows],
            "source_row": np.asarray([where.loc[r, SOURCE_ROW] for r in rows], dtype=np.int64),
        },
        columns=MERGED_COLUMNS,
    )
    return Merge(final, records)


def _final(source: str, into: dict[str, str]) -> str:
    """Where a chain of merges ends (A → B → C gives C); a circle is an error."""
    seen = [source]
    target = into[source]
    while target in into:
        if target in seen:
            raise InputError(
                f"data.merge: the merges go round in a circle ({' → '.join([*seen, target])}). "
                "Fix the merge table and run again."
            )
        seen.append(target)
        target = into[target]
    return target
