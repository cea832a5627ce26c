"""Markdown pieces the generated documents share: table cells, tables, params defaults and the templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import jinja2

from kamreport.params import RunParams

TEMPLATES = Path(__file__).resolve().parent / "templates"
_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[A-Za-z0-9_]+)+)\}")


def cell(text: object) -> str:
    """``text`` as one Markdown table cell (pipes escaped, on one line)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table (no trailing newline)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


@cache
def _defaults() -> RunParams:
    return RunParams(period="2000Q1")


def default(key: str) -> object:
    """The default value of a dotted params key (``planning.tiers.a_cum_share`` → 0.5).

    Raises
    ------
    KeyError
        When ``key`` names no key of the params schema.
    """
    value: object = _defaults()
    for part in key.split("."):
        if isinstance(value, dict):
            if part not in value and part.isdigit() and int(part) in value:
                value = value[int(part)]
                continue
            value = value[part]
        elif part in getattr(type(value), "model_fields", {}):
            value = getattr(value, part)
        else:
            raise KeyError(f"{key} is not a params key (see params/README.md)")
    return value


def show(value: object) -> str:
    """A params value as the documents print it: ``0.05``, ``50,000``, ``A, B``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format(value, ",g")
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    return "none" if value is None else str(value)


def param(key: str) -> str:
    """A default value and the key that changes it: ``0.5 (param `planning.tiers.a_cum_share`)``."""
    return f"{show(default(key))} *(param `{key}`)*"


def fill_params(text: str) -> str:
    """``text`` with every ``{dotted.key}`` replaced by :func:`param` of that key."""
    return _PLACEHOLDER.sub(lambda m: param(m.group(1)), text)


def environment() -> jinja2.Environment:
    """The templates of the generated documents, with the helpers above as globals."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.globals.update(param=param, default=default, show=show, table=table)
    return env
