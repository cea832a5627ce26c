"""What every params model shares: frozen, unknown keys refused, and the "did you mean" hint."""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel, ConfigDict

Language = Literal["en", "zh"]
Tier = Literal["A", "B", "C"]
Output = Literal["data", "xlsx", "html"]


class StrictModel(BaseModel):
    """A frozen model that refuses unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def unknown_name(key: str, valid: list[str], what: str = "key") -> str:
    """``unknown key 'x'; did you mean 'y'?`` (or the valid names when none is close)."""
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid: {', '.join(sorted(valid))}"
    return f"unknown {what} '{key}'{hint}"
