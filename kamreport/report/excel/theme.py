"""The workbook theme: ``templates/workbook/theme.yaml`` as one typed, frozen object.

Fonts per language, colours, chart palettes, number formats per unit and layout sizes all
live in the YAML file; nothing else in :mod:`kamreport.report.excel` names a colour or a
format code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from kamreport.report.labels import Language

THEME_RESOURCE = "assets/templates/workbook/theme.yaml"


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
    header_lines: int
    paper: int


@dataclass(frozen=True)
class Theme:
    """Everything a workbook's look depends on."""

    fonts: dict[str, Font]
    sizes: dict[str, float]
    colours: dict[str, str]
    palette: tuple[str, ...]
    positions: dict[str, str]
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
        sizes={k: float(v) for k, v in raw["sizes"].items()},
        colours={k: str(v) for k, v in raw["colours"].items()},
        palette=tuple(str(c) for c in raw["palette"]),
        positions={k: str(v) for k, v in raw["positions"].items()},
        bridge={k: str(v) for k, v in raw["bridge"].items()},
        number_formats={k: str(v) for k, v in raw["number_formats"].items()},
        layout=Layout(**raw["layout"]),
    )


@lru_cache(maxsize=1)
def load_theme() -> Theme:
    """The theme shipped in the package (read once per process).

    Returns
    -------
    Theme
        Fonts, colours, palettes, number formats and layout sizes of the workbooks.
    """
    text = (files("kamreport") / THEME_RESOURCE).read_text(encoding="utf-8")
    return _theme(yaml.safe_load(text))
