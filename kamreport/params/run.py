"""RunParams: one run of the quarterly pack, the root of a params file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from kamreport.files import slug
from kamreport.params.base import Language, StrictModel
from kamreport.params.env import expand_env
from kamreport.params.kpi import KpiParams
from kamreport.params.mail import MailParams
from kamreport.params.planning import PlanningParams
from kamreport.params.report import RenderParams, ReportParams
from kamreport.params.sources import DataParams, ValidationParams
from kamreport.periods import Quarter


class RunParams(StrictModel):
    """One run of the quarterly pack."""

    period: str = Field(description="the quarter reported, YYYYQn")
    run_name: str | None = Field(
        None, description="name of the output folder, a plain file name (letters, digits, - _ .); default the period"
    )
    language: Language = Field("en", description="en or zh: labels, sheet names and notes")
    regions: list[str] = Field(
        default_factory=list, description="regions in scope; empty = all; a name no account has stops the run"
    )
    output_dir: str = Field(
        "output", description="folder the run folders are written under (relative to the params file)"
    )
    data: DataParams = Field(default_factory=DataParams)
    validation: ValidationParams = Field(default_factory=ValidationParams)
    kpi: KpiParams = Field(default_factory=KpiParams)
    planning: PlanningParams = Field(default_factory=PlanningParams)
    report: ReportParams = Field(default_factory=ReportParams)
    render: RenderParams = Field(default_factory=RenderParams)
    mail: MailParams = Field(default_factory=MailParams)
    source: str | None = Field(None, description="set by the loader: the params file read", exclude=True)

    @field_validator("period")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return str(Quarter.parse(value))

    @field_validator("run_name")
    @classmethod
    def _folder_name(cls, value: str | None) -> str | None:
        if value is not None and slug(value) != value:
            raise ValueError(
                f"run_name is the run's folder name and must be a plain file name: use '{slug(value)}' "
                "(letters, digits, '-', '_' and inner dots; no separators, '..' or reserved names)"
            )
        return value

    @field_validator("regions")
    @classmethod
    def _distinct_regions(cls, value: list[str]) -> list[str]:
        blank = [r for r in value if not r.strip()]
        if blank:
            raise ValueError("an empty region name; list region names as they appear in the accounts' region column")
        repeated = sorted({r for r in value if value.count(r) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} listed more than once")
        return value

    @property
    def quarter(self) -> Quarter:
        """The run's period ``P``."""
        return Quarter.parse(self.period)

    @property
    def name(self) -> str:
        """The run's folder name."""
        return self.run_name or self.period

    @property
    def params_dir(self) -> Path:
        """The folder of the params file: every relative path in it is taken from there."""
        return Path(self.source).resolve().parent if self.source else Path.cwd()

    @property
    def base_dir(self) -> Path:
        """The folder table paths are relative to (``${VAR:-default}`` expanded)."""
        return (self.params_dir / expand_env(self.data.base_dir)).resolve()

    @property
    def run_dir(self) -> Path:
        """``<output_dir>/<run>/``."""
        return (self.params_dir / expand_env(self.output_dir) / self.name).resolve()
