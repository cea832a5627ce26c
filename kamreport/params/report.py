"""What the reports show and how they are made: ``report`` and ``render`` in a params file."""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field, StringConstraints

from kamreport.params.base import Language, Output, StrictModel

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


def _all_outputs() -> list[Output]:
    return list(get_args(Output))


class Rag(StrictModel):
    """Red / amber / green thresholds of one KPI (higher is better unless `lower_is_better`)."""

    green: float = Field(description="at or above this (below, when lower is better) the KPI is green")
    amber: float = Field(description="at or above this (below, when lower is better) it is amber; else red")
    lower_is_better: bool = Field(False, description="true for KPIs where less is better (e.g. overdue_ratio)")


def _default_rag() -> dict[str, Rag]:
    return {
        "attainment": Rag(green=1.0, amber=0.9),
        "share_change_pp": Rag(green=0.0, amber=-5.0),
        "frequency_attainment": Rag(green=0.9, amber=0.7),
        "gross_margin": Rag(green=0.30, amber=0.25),
        "fill_rate": Rag(green=0.95, amber=0.90),
        # share must grow at least as fast as the customer's demand (the share rule's bands)
        "growth_gap_pp": Rag(green=0.0, amber=-5.0),
        "otif_rate": Rag(green=0.95, amber=0.90),  # as the fill rate
        "coverage": Rag(green=0.9, amber=0.7),  # as the visit frequency
        "pipeline_coverage": Rag(green=1.0, amber=0.8),  # the pipeline rule fires below 1
        "overdue_ratio": Rag(green=0.10, amber=0.20, lower_is_better=True),  # the overdue rule fires above 0.2
    }


class FontParams(StrictModel):
    """A workbook font."""

    name: str = Field(description="font family, e.g. Calibri")
    size: float = Field(10, ge=6, le=30, description="size in points")


class ThemeParams(StrictModel):
    """Changes to the shipped theme (templates/theme.yaml) for this run's workbooks and charts."""

    palette: list[Colour] | None = Field(None, description="series colours of the charts, in order (#RRGGBB)")
    positions: dict[str, Colour] | None = Field(None, description="maintain / defend / attack / unknown → colour")
    status: dict[str, Colour] | None = Field(None, description="funnel health excellent / good / warning → colour")
    bridge: dict[str, Colour] | None = Field(None, description="margin bridge total / increase / decrease → colour")
    colours: dict[str, Colour] | None = Field(None, description="named colours of the theme file (header_fill …)")
    fonts: dict[Language, FontParams] | None = Field(None, description="workbook body font per language")
    chart_fonts: list[str] | None = Field(None, description="chart font families, tried in order")


def money(amount: float, currency: str = "") -> str:
    """An amount as every report writes it in full: ``currency`` first, whole units, thousands separated.

    ``¥541,000``, ``−¥1,200`` (a true minus sign).  The reports' amount cells
    (:func:`kamreport.report.format.format_value`) and the ``{name:money}`` placeholders of the
    action texts (:func:`kamreport.planning.actions.fill`) share it.
    """
    number = round(amount) + 0.0
    return f"{currency}{number:,.0f}" if number >= 0 else f"−{currency}{-number:,.0f}"


class ReportParams(StrictModel):
    """What the workbooks and HTML reports show."""

    company_name: str = Field("Company", description="shown in titles and document properties")
    currency: str = Field("", description="currency symbol or code shown with amounts, e.g. ¥ or CNY")
    rag: dict[str, Rag] = Field(default_factory=_default_rag, description="KPI id → red/amber/green thresholds")
    what_changed_items: int = Field(5, ge=1, le=20, description="items per list in the Summary's 'what changed'")
    materiality: float = Field(
        0.005,
        ge=0,
        le=1,
        description="an account is material when its revenue (now or a year ago) reaches this share of the "
        "report's quarterly revenue (of its region's, for `material` in accounts.csv and the rules); "
        "exception lists leave out the others",
    )
    link_base: str | None = Field(None, description="URL or shared-folder path where run folders are published")
    theme: ThemeParams = Field(default_factory=ThemeParams, description="changes to the theme of workbooks and charts")


class RenderParams(StrictModel):
    """Which reports a run makes and how."""

    workers: int | None = Field(None, ge=1, description="parallel render jobs; default the core count")
    only: list[Output] = Field(default_factory=_all_outputs, description="what to make (data = the CSV exports only)")
    region_reports: bool = Field(True, description="a workbook and HTML report per region")
    company_report: bool = Field(True, description="the company overview workbook and HTML report")
    account_plans: bool = Field(True, description="an account plan per key account (and per group customer)")
    kernel_timeout: int = Field(120, ge=10, description="seconds a report cell may run")
    reuse_kernels: bool = Field(True, description="run jobs in warm kernels, reset between jobs")
    notebooks_dir: str | None = Field(
        None, description="folder of the report notebooks (relative to the params file); default the kit's notebooks/"
    )
