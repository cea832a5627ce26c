"""The one theme of workbooks and charts: ``templates/theme.yaml`` as one typed, frozen object.

Fonts per language, chart fonts, colours (palette, positions, funnel statuses, RAG, the
margin bridge), number formats per unit and layout sizes all live in the YAML file; nothing
else in :mod:`kamreport.report` names a colour or a format code.  A run changes parts of it
under ``report.theme`` in its params file; a notebook session with :func:`theme`
(``kr.theme(positions={"attack": "#E4572E"})``), which every chart and workbook made
afterwards in that session uses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from kamreport.errors import ParamsError
from kamreport.params import Language, ReportParams

THEME_RESOURCE = "assets/templates/theme.yaml"
_COLOUR_GROUPS = ("positions", "status", "bridge", "colours")
# What kr.theme() set in this session (merged over the params' report.theme).
_SESSION: dict[str, Any] = {}


@dataclass(frozen=True)
class Font:
    """A font family and its size in points."""

    name: str
    size: float


@dataclass(frozen=True)
class Layout:
    """Sizes of the sheet layout."""

    table_style: str
    chart_width: int
    chart_height: int
    min_column_width: float
    max_column_width: float
    list_column_width: float
    print_scale: int
    header_lines: int
    paper: int


@dataclass(frozen=True)
class Theme:
    """Everything a workbook's and a chart's look depends on."""

    fonts: dict[str, Font]
    chart_fonts: tuple[str, ...]
    sizes: dict[str, float]
    colours: dict[str, str]
    palette: tuple[str, ...]
    positions: dict[str, str]
    status: dict[str, str]
    bridge: dict[str, str]
    number_formats: dict[str, str]
    layout: Layout

    def font(self, lang: Language) -> Font:
        """The body font of ``lang`` (English font when the language has none)."""
        return self.fonts.get(lang, self.fonts["en"])

    def number_format(self, unit: str, currency: str = "") -> str:
        """The Excel number format of ``unit``; amounts carry ``currency`` when given.

        Parameters
        ----------
        unit
            A unit of :data:`kamreport.report.sections.base.UNITS`; unknown units are text.
        currency
            A symbol (``¥``, ``$``) is put before the number, a code (``CNY``) after it.
        """
        code = self.number_formats.get(unit, self.number_formats["text"])
        if unit != "amount" or not currency:
            return code
        quoted = '"' + currency.replace('"', "") + '"'
        if re.fullmatch(r"[A-Za-z]+", currency):
            return f"{code} {quoted}"
        return f"{quoted}{code}"


def _theme(raw: dict[str, Any]) -> Theme:
    return Theme(
        fonts={lang: Font(str(f["name"]), float(f["size"])) for lang, f in raw["fonts"].items()},
        chart_fonts=tuple(str(f) for f in raw["chart_fonts"]),
        sizes={k: float(v) for k, v in raw["sizes"].items()},
        colours={k: str(v) for k, v in raw["colours"].items()},
        palette=tuple(str(c) for c in raw["palette"]),
        positions={k: str(v) for k, v in raw["positions"].items()},
        status={k: str(v) for k, v in raw["status"].items()},
        bridge={k: str(v) for k, v in raw["bridge"].items()},
        number_formats={k: str(v) for k, v in raw["number_formats"].items()},
        layout=Layout(**raw["layout"]),
    )


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    text = (files("kamreport") / THEME_RESOURCE).read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    return raw


def _merge(raw: dict[str, Any], changes: dict[str, Any], where: str) -> dict[str, Any]:
    """``changes`` over ``raw``: lists replace, colour groups and fonts change key by key."""
    merged = dict(raw)
    for key, value in changes.items():
        if value is None:
            continue
        if key not in raw:
            raise ParamsError(f"{where}: the theme has no {key!r}; it has {', '.join(sorted(raw))}")
        if key in (*_COLOUR_GROUPS, "fonts"):
            unknown = sorted(set(value) - set(raw[key]))
            if unknown:
                raise ParamsError(
                    f"{where}.{key}: unknown {', '.join(unknown)}; the theme's are {', '.join(sorted(raw[key]))}"
                )
            merged[key] = {**raw[key], **value}
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=16)
def _build(changes_json: str) -> Theme:
    raw = _shipped()
    for where, changes in json.loads(changes_json):
        raw = _merge(raw, changes, where)
    return _theme(raw)


def load_theme(report: ReportParams | None = None) -> Theme:
    """The theme a report uses: the shipped file, the run's ``report.theme``, then this session's :func:`theme`.

    Parameters
    ----------
    report
        The run's report params (None: the shipped theme and the session's changes only).

    Raises
    ------
    ParamsError
        A change names a colour or a key the theme does not have.
    """
    layers: list[tuple[str, dict[str, Any]]] = []
    if report is not None:
        layers.append(("report.theme", report.theme.model_dump(exclude_none=True)))
    if _SESSION:
        layers.append(("kr.theme()", _SESSION))
    return _build(json.dumps(layers, sort_keys=True))


def theme(reset: bool = False, **changes: Any) -> Theme:
    """Change the theme of every chart and workbook made afterwards in this Python session.

    ``kr.theme(positions={"attack": "#E4572E"}, palette=["#003f5c", "#ffa600"])``; the keys
    are those of ``templates/theme.yaml`` (and of ``report.theme`` in a params file).
    ``kr.theme(reset=True)`` goes back to the run's theme; ``kr.theme()`` shows the current one.

    Returns
    -------
    Theme
        The session's theme (over the shipped one; a run's ``report.theme`` still applies beneath).
    """
    if reset:
        _SESSION.clear()
    if changes:
        candidate = dict(_SESSION)
        for key, value in changes.items():
            old = candidate.get(key)
            candidate[key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
        _build(json.dumps([("kr.theme()", candidate)], sort_keys=True))  # refuse a bad change now
        _SESSION.clear()
        _SESSION.update(candidate)
    return load_theme()
