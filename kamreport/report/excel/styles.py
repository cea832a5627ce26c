"""The formats of one workbook, built from the theme once and reused for every cell.

XlsxWriter formats belong to a workbook and each new one costs a style record, so every
format a writer asks for is made once here and cached by what it is (role, unit, emphasis).
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from kamreport.params import Language
from kamreport.report.theme import Theme

RAG = ("green", "amber", "red")
ALIGN = {"text": "left", "label": "center"}  # any other unit is a number: right


class Styles:
    """Cached cell formats of one workbook in one language.

    Parameters
    ----------
    workbook
        The workbook the formats belong to.
    theme
        Fonts, colours and number formats.
    lang
        The report's language (it picks the font).
    currency
        Symbol or code shown with amounts (empty for none).
    """

    def __init__(self, workbook: Workbook, theme: Theme, lang: Language, currency: str = "") -> None:
        self.workbook = workbook
        self.theme = theme
        self.lang = lang
        self.currency = currency
        self.font = theme.font(lang)
        self._cache: dict[tuple[Any, ...], Format] = {}

    def _format(self, key: tuple[Any, ...], **properties: Any) -> Format:
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format(properties)
        return self._cache[key]

    def number_format(self, unit: str) -> str:
        """The number format of ``unit`` with this workbook's currency (points as 个百分点 in Chinese)."""
        text = self.theme.number_format(unit, self.currency)
        return text.replace('" pp"', '" 个百分点"') if self.lang == "zh" else text

    # ------------------------------------------------------------------ text around tables
    @property
    def title(self) -> Format:
        """The section title at the top of a sheet."""
        c, s = self.theme.colours, self.theme.sizes
        return self._format(("title",), bold=True, font_size=s["title"], font_color=c["title"])

    @property
    def subtitle(self) -> Format:
        """Scope, period and company under the title."""
        c, s = self.theme.colours, self.theme.sizes
        return self._format(("subtitle",), font_size=s["subtitle"], font_color=c["muted"])

    @property
    def intro(self) -> Format:
        """The section's introductory sentence (wrapped across the sheet)."""
        return self._format(("intro",), text_wrap=True, valign="top", font_color=self.theme.colours["text"])

    @property
    def table_title(self) -> Format:
        """The title above a table."""
        c, s = self.theme.colours, self.theme.sizes
        return self._format(("table_title",), bold=True, font_size=s["table_title"], font_color=c["title"])

    @property
    def item(self) -> Format:
        """One sentence of a list (a table of a single text column, e.g. what changed)."""
        c = self.theme.colours
        return self._format(
            ("item",), text_wrap=True, valign="top", font_color=c["text"], bottom=1, bottom_color=c["border"]
        )

    @property
    def note(self) -> Format:
        """A note under a table, or the sentence of an absent section or an empty table."""
        return self._format(
            ("note",), italic=True, text_wrap=True, valign="top", font_color=self.theme.colours["muted"]
        )

    def header(self, unit: str = "text") -> Format:
        """A table's column header, aligned like its values (numbers right, labels centred)."""
        c = self.theme.colours
        return self._format(
            ("header", ALIGN.get(unit, "right")),
            align=ALIGN.get(unit, "right"),
            indent=1 if unit == "text" else 0,
            bold=True,
            text_wrap=True,
            valign="top",
            font_color=c["header_text"],
            bg_color=c["header_fill"],
            border=1,
            border_color=c["header_fill"],
        )

    # ------------------------------------------------------------------ table cells
    def cell(self, unit: str, total: bool = False, wrap: bool = False) -> Format:
        """A table cell of ``unit``; ``total`` rows are bold on a tint, ``wrap`` wraps long text."""
        key = ("cell", unit, total, wrap)
        if key in self._cache:  # asked for per cell: skip building the properties
            return self._cache[key]
        c = self.theme.colours
        properties: dict[str, Any] = {
            "num_format": self.number_format(unit),
            "bottom": 1,
            "bottom_color": c["border"],
            "valign": "top",
            "font_color": c["text"],
        }
        if unit == "label":
            properties["align"] = "center"
        elif unit == "text":  # keeps text clear of a right-aligned number in the column before
            properties |= {"align": "left", "indent": 1}
        if total:
            properties |= {"bold": True, "bg_color": c["total_fill"]}
        if wrap:
            properties["text_wrap"] = True
        return self._format(key, **properties)

    def not_meaningful(self, total: bool = False) -> Format:
        """A number cell whose ratio is not meaningful: ``n.m.`` in muted italics, right-aligned."""
        c = self.theme.colours
        properties: dict[str, Any] = {
            "align": "right",
            "italic": True,
            "bottom": 1,
            "bottom_color": c["border"],
            "valign": "top",
            "font_color": c["muted"],
        }
        if total:
            properties |= {"bold": True, "bg_color": c["total_fill"]}
        return self._format(("not_meaningful", total), **properties)

    def link(self, wrap: bool = False) -> Format:
        """An account name linking to its plan workbook (``wrap``: in a column whose text wraps)."""
        c = self.theme.colours
        return self._format(
            ("link", wrap),
            num_format="@",
            align="left",
            indent=1,
            font_color=c["link"],
            underline=1,
            bottom=1,
            bottom_color=c["border"],
            valign="top",
            text_wrap=wrap,
        )

    # ------------------------------------------------------------------ conditional formats
    def rag(self, status: str) -> Format:
        """The fill and font colour of a red / amber / green status (a conditional format)."""
        c = self.theme.colours
        return self._format(("rag", status), bg_color=c[f"rag_{status}_fill"], font_color=c[f"rag_{status}_text"])
