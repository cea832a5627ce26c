"""RunParams: the params file as one frozen, typed object with documented defaults.

Every threshold marked *(param)* in KPI_DEFINITIONS.md lives here and nowhere else.  An
unknown or mistyped key is an error naming the key, the file and the closest valid key
(:func:`load_params`).  ``params/README.md`` is the reference of every key; a test keeps the
two in step.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kamreport.errors import ParamsError
from kamreport.periods import Quarter

Language = Literal["en", "zh"]
Tier = Literal["A", "B", "C"]
Output = Literal["data", "xlsx", "html"]


def _key_tiers() -> list[Tier]:
    return ["A", "B"]


def _all_outputs() -> list[Output]:
    return ["data", "xlsx", "html"]


class StrictModel(BaseModel):
    """A frozen model that refuses unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- data sources


class Lookup(StrictModel):
    """Fill a column from another sheet or file by joining on a column already read.

    Example: the owner of each account from a *People* sheet keyed by region.
    """

    path: str | None = Field(None, description="file holding the lookup table; default: the table's own file")
    sheet: str | int | None = Field(None, description="sheet of an Excel file")
    key: str = Field(description="column of the lookup table to match on")
    value: str = Field(description="column of the lookup table to take")
    by: str = Field(description="canonical column of this table whose value is matched against `key`")


class SetAsideRule(StrictModel):
    """Set rows aside when a column's value is listed in another sheet or file (e.g. returns)."""

    path: str | None = Field(None, description="file holding the list; default: the table's own file")
    sheet: str | int | None = Field(None, description="sheet of an Excel file")
    column: str = Field(description="column of the list holding the values")
    match: str = Field(description="source column of this table compared with the list")
    reason: str = Field(description="reason written to data_quality.csv")


class TableSource(StrictModel):
    """Where one table of DATA_CONTRACT.md comes from and how its columns map."""

    path: str | list[str] | None = Field(
        None,
        description="file, glob or list of files (.csv .csv.gz .tsv .parquet .xlsx .xls), relative to data.base_dir",
    )
    sheet: str | int | None = Field(None, description="sheet name or 0-based index of an Excel file; default the first")
    encoding: str = Field(
        "auto", description="text encoding of a CSV: auto (UTF-8 with or without BOM), gbk, gb18030, latin-1 …"
    )
    delimiter: str | None = Field(None, description="CSV delimiter; default: detected from the header line")
    header_row: int = Field(1, ge=1, description="row number of the header line (CSV line or sheet row)")
    date_format: str | None = Field(
        None, description="strftime format of this table's text dates, e.g. '%d/%m/%y'; overrides data.date_format"
    )
    decimal: str = Field(".", description="decimal mark of text numbers")
    thousands: str | None = Field(None, description="thousands separator of text numbers, e.g. ','")
    columns: dict[str, str] = Field(default_factory=dict, description="source column → canonical column")
    derive: dict[str, str] = Field(
        default_factory=dict, description='canonical column → expression over source columns, e.g. "Sales - Profit"'
    )
    lookups: dict[str, Lookup] = Field(default_factory=dict, description="canonical column → lookup in another sheet")
    set_aside: list[SetAsideRule] = Field(default_factory=list, description="rules that set rows aside by a list")
    from_table: Literal["sales"] | None = Field(
        None,
        description="accounts and products only: derive the table from columns of the sales lines (no master file)",
    )
    resolve: Literal["latest", "most_revenue"] = Field(
        "latest",
        description="with from_table: the value kept when a key has several (latest, most_revenue)",
    )

    @property
    def paths(self) -> list[str]:
        """The path entries as a list."""
        if self.path is None:
            return []
        return [self.path] if isinstance(self.path, str) else list(self.path)


class DataParams(StrictModel):
    """The input tables."""

    base_dir: str = Field(
        ".", description="folder the table paths are relative to (itself relative to the params file)"
    )
    date_format: str | None = Field(None, description="default strftime format of text dates for every table")
    tables: dict[str, TableSource] = Field(default_factory=dict, description="table name → source")

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, tables: dict[str, TableSource]) -> dict[str, TableSource]:
        from kamreport.data.contract import TABLES

        for name in tables:
            if name not in TABLES:
                raise ValueError(_unknown(name, list(TABLES), "table"))
        return tables


class ValidationParams(StrictModel):
    """What bad input gets (DATA_CONTRACT.md, last section)."""

    max_reject_share: float = Field(
        0.05, ge=0, le=1, description="a table losing more than this share of rows fails the run"
    )
    allow_rejects: bool = Field(
        False, description="go on even when a table loses more than max_reject_share (CLI --allow-rejects)"
    )


# --------------------------------------------------------------------------- KPIs


class VisitsRequired(StrictModel):
    """Required visits per quarter by tier (KPI_DEFINITIONS §2.3)."""

    A: int = Field(12, ge=0, description="visits per quarter a tier-A account needs")
    B: int = Field(6, ge=0, description="visits per quarter a tier-B account needs")
    C: int = Field(2, ge=0, description="visits per quarter a tier-C account needs")


class KpiParams(StrictModel):
    """Thresholds of sections 2 and 3."""

    visits_required: VisitsRequired = Field(
        default_factory=VisitsRequired, description="required visits per quarter by tier"
    )
    unbalanced_last_week_share: float = Field(
        0.40, ge=0, le=1, description="last_week_share above this flags `unbalanced`"
    )
    last_week_first_day: int = Field(22, ge=1, le=31, description="the month's 'last week' starts on this day")
    promo_on_time_lead_days: int = Field(
        45, ge=0, description="a promotion submitted at least this many days ahead is on time"
    )
    trend_quarters: int = Field(8, ge=4, le=20, description="quarters of KPI history computed for trends")


# --------------------------------------------------------------------------- planning


class TierParams(StrictModel):
    """The 5 % / 20 % model (§4.1)."""

    a_cum_share: float = Field(
        0.50, gt=0, le=1, description="tier A while the revenue share ranked above is below this"
    )
    b_cum_share: float = Field(
        0.75, gt=0, le=1, description="tier B while the revenue share ranked above is below this"
    )
    scope: Literal["company", "region"] = Field(
        "company", description="rank accounts across the company or within each region"
    )

    @model_validator(mode="after")
    def _ordered(self) -> TierParams:
        if self.b_cum_share < self.a_cum_share:
            raise ValueError("planning.tiers.b_cum_share must be at least a_cum_share")
        return self


class KeyAccountParams(StrictModel):
    """Key-account selection (§4.2)."""

    tiers: list[Tier] = Field(default_factory=_key_tiers, description="tiers that are key accounts")
    min_potential_monthly: float = Field(
        50_000, ge=0, description="an account with at least this monthly potential is key"
    )
    competitor_tier_order: list[str] = Field(
        default_factory=lambda: ["JP", "TW"], description="attack priority: these competitor tiers first, in this order"
    )


class PositionParams(StrictModel):
    """Relationship position thresholds (§4.3)."""

    maintain_share: float = Field(
        0.70, ge=0, le=1, description="share of wallet at or above which an account can be `maintain`"
    )
    defend_share: float = Field(
        0.40, ge=0, le=1, description="share of wallet at or above which an account is `defend` (else `attack`)"
    )
    max_share_drop_pp: float = Field(
        5, ge=0, description="a share drop of this many points or more turns maintain into defend"
    )

    @model_validator(mode="after")
    def _ordered(self) -> PositionParams:
        if self.defend_share > self.maintain_share:
            raise ValueError("planning.positions.defend_share must not exceed maintain_share")
        return self


class TargetParams(StrictModel):
    """Next-quarter target decomposition (§4.4)."""

    weights: tuple[float, float, float] = Field(
        (0.5, 0.3, 0.2), description="weights of revenue in P, PQ and P-2 for `base`"
    )
    market_growth: float = Field(0.05, description="market growth applied to maintain / defend / unknown accounts")
    market_growth_by_region: dict[str, float] = Field(
        default_factory=dict, description="region → market growth override"
    )
    attack_capture: float = Field(
        0.25, ge=0, le=1, description="share of the gap to target_share captured next quarter"
    )
    attack_target_share: float = Field(
        0.40, ge=0, le=1, description="share of wallet an attack account is driven towards"
    )
    company_target_nq: float | None = Field(
        None, ge=0, description="top-down company target for NQ; targets are reconciled to it"
    )


class OpportunityParams(StrictModel):
    """Opportunity value score (§4.5)."""

    high_value_min_score: int = Field(10, ge=0, le=20, description="score above this is high value")


class FunnelParams(StrictModel):
    """Funnel stages and health (§4.6)."""

    stage_probability: tuple[float, float, float, float, float, float, float, float] = Field(
        (0.05, 0.10, 0.20, 0.30, 0.50, 0.70, 0.90, 1.00), description="win probability of stages 1..8"
    )
    coverage_ratios: dict[int, float] = Field(
        default_factory=lambda: {1: 0.30, 2: 0.25, 3: 0.20, 4: 0.15, 5: 0.12, 6: 0.08, 7: 0.05},
        description="benchmark of open stage s as a multiple of the level's next-quarter target",
    )
    benchmark_amounts: dict[str, dict[int, float]] = Field(
        default_factory=dict,
        description="explicit benchmark amounts by stage, per 'company', 'region:<name>' or 'owner:<name>'; "
        "they replace the ratio there",
    )
    excellent: float = Field(1.00, ge=0, description="health at or above this is excellent")
    good: float = Field(0.70, ge=0, description="health at or above this is good; below is warning")

    @field_validator("coverage_ratios")
    @classmethod
    def _open_stages(cls, value: dict[int, float]) -> dict[int, float]:
        _check_open_stages(value)
        return value

    @field_validator("benchmark_amounts")
    @classmethod
    def _open_stage_amounts(cls, value: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for where, amounts in value.items():
            if where != "company" and not where.startswith(("region:", "owner:", "group:")):
                raise ValueError(
                    f"benchmark_amounts key '{where}' must be 'company', 'region:<name>' or 'owner:<name>'"
                )
            _check_open_stages(amounts)
        return value


def _check_open_stages(value: dict[int, float]) -> None:
    bad = [s for s in value if not 1 <= s <= 7]
    if bad:
        raise ValueError(f"funnel stages are 1..7 for open opportunities, got {bad}")


class ActionRule(StrictModel):
    """A recommended action: when the condition holds for a key account, show the text."""

    id: str = Field(description="short name of the rule, shown with the action")
    when: str = Field(description='condition over the account\'s KPIs and plan, e.g. "share_change_pp < -5"')
    en: str = Field(description="the action in English; {kpi} placeholders are filled in")
    zh: str = Field(description="the action in Chinese")


def _default_actions() -> list[ActionRule]:
    return [
        ActionRule(
            id="share_loss",
            when="share_change_pp < -5",
            en="Share changed {share_change_pp:+.1f} pp: defend — meet procurement and design this month",
            zh="份额变化 {share_change_pp:+.1f} 个百分点：防御——本月拜访采购与设计",
        ),
        ActionRule(
            id="supply",
            when="fill_rate < 0.90",
            en="Fill rate {fill_rate:.0%}: escalate supply with planning and logistics",
            zh="订单满足率 {fill_rate:.0%}：向计划与物流升级供应问题",
        ),
        ActionRule(
            id="pipeline",
            when="attainment < 0.80 and pipeline_coverage < 1",
            en="Attainment {attainment:.0%} with pipeline coverage {pipeline_coverage:.1f}×: build pipeline",
            zh="达成率 {attainment:.0%}，商机覆盖 {pipeline_coverage:.1f} 倍：补充商机",
        ),
        ActionRule(
            id="attack",
            when="position == 'attack' and potential_monthly >= 50000",
            en="Share {share_of_wallet:.0%} of a large wallet: attack — map the DMU and propose a trial",
            zh="大客户份额仅 {share_of_wallet:.0%}：进攻——梳理决策链并提出试用方案",
        ),
        ActionRule(
            id="visits",
            when="frequency_attainment < 0.5",
            en="Only {visits_completed:.0f} visits against {visits_required:.0f} required: plan the visit calendar",
            zh="拜访 {visits_completed:.0f} 次，要求 {visits_required:.0f} 次：制定拜访计划",
        ),
        ActionRule(
            id="overdue",
            when="overdue_ratio > 0.2",
            en="{overdue_ratio:.0%} of receivables overdue: agree a payment plan with finance",
            zh="逾期应收占 {overdue_ratio:.0%}：与财务约定回款计划",
        ),
        ActionRule(
            id="rhythm",
            when="unbalanced == 1",
            en="{last_week_share:.0%} of sales in the last week of the month: smooth the order rhythm",
            zh="月末一周销售占 {last_week_share:.0%}：平衡下单节奏",
        ),
    ]


class PlanningParams(StrictModel):
    """Account planning (KPI_DEFINITIONS §4)."""

    tiers: TierParams = Field(default_factory=TierParams)
    key_account: KeyAccountParams = Field(default_factory=KeyAccountParams)
    positions: PositionParams = Field(default_factory=PositionParams)
    targets: TargetParams = Field(default_factory=TargetParams)
    opportunities: OpportunityParams = Field(default_factory=OpportunityParams)
    funnel: FunnelParams = Field(default_factory=FunnelParams)
    actions: list[ActionRule] = Field(default_factory=_default_actions, description="recommended-action rules")


# --------------------------------------------------------------------------- reports


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
    }


class ReportParams(StrictModel):
    """What the workbooks and HTML reports show."""

    company_name: str = Field("Company", description="shown in titles and document properties")
    currency: str = Field("", description="currency symbol or code shown with amounts, e.g. ¥ or CNY")
    rag: dict[str, Rag] = Field(default_factory=_default_rag, description="KPI id → red/amber/green thresholds")
    what_changed_items: int = Field(5, ge=1, le=20, description="items per list in the Summary's 'what changed'")
    top_accounts_chart: int = Field(15, ge=3, le=50, description="accounts drawn in per-account charts")


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


class RunParams(StrictModel):
    """One run of the quarterly pack."""

    period: str = Field(description="the quarter reported, YYYYQn")
    run_name: str | None = Field(None, description="name of the output folder; default the period")
    language: Language = Field("en", description="en or zh: labels, sheet names and notes")
    regions: list[str] = Field(default_factory=list, description="regions in scope; empty = all")
    output_dir: str = Field(
        "output", description="folder the run folders are written under (relative to the params file)"
    )
    data: DataParams = Field(default_factory=DataParams)
    validation: ValidationParams = Field(default_factory=ValidationParams)
    kpi: KpiParams = Field(default_factory=KpiParams)
    planning: PlanningParams = Field(default_factory=PlanningParams)
    report: ReportParams = Field(default_factory=ReportParams)
    render: RenderParams = Field(default_factory=RenderParams)
    source: str | None = Field(None, description="set by the loader: the params file read", exclude=True)

    @field_validator("period")
    @classmethod
    def _quarter(cls, value: str) -> str:
        return str(Quarter.parse(value))

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


# --------------------------------------------------------------------------- loading


class ParamsLoader(yaml.SafeLoader):
    """YAML with only ``true`` / ``false`` as booleans (as in YAML 1.2).

    A column called ``No``, ``On`` or ``Y`` stays a name instead of turning into a boolean.
    """


ParamsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ParamsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_ENV = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def expand_env(text: str) -> str:
    """``${NAME}`` and ``${NAME:-default}`` in a path replaced from the environment.

    Lets a params file point at data that lives elsewhere on each machine, e.g.
    ``base_dir: ${SUPERSTORE_DIR:-../data}``.

    Raises
    ------
    ParamsError
        A variable without a default is not set.
    """

    def value(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise ParamsError(
                f"environment variable {name} is not set (used in the path {text!r}); "
                f"set it or give a default: ${{{name}:-…}}"
            )
        return default

    return _ENV.sub(value, text)


def _unknown(key: str, valid: list[str], what: str = "key") -> str:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid: {', '.join(sorted(valid))}"
    return f"unknown {what} '{key}'{hint}"


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at ``loc`` (None when it cannot be told)."""
    current: type[BaseModel] | None = model
    skip_next = False
    for part in loc[:-1]:
        if skip_next:  # a dict key or list index inside a mapping/list of models
            skip_next = False
            continue
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return None
        annotation = current.model_fields[part].annotation
        skip_next = getattr(annotation, "__origin__", None) in (dict, list)
        current = _inner_model(annotation)
    return current


def _inner_model(annotation: Any) -> Any:
    """The model inside ``Model``, ``dict[str, Model]``, ``list[Model]`` or ``Model | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def explain(error: ValidationError, source: str) -> str:
    """Turn pydantic's errors into one message per key: the key, the file and what to do."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        if item["type"] == "extra_forbidden":
            holder = _model_at(RunParams, loc)
            valid = list(holder.model_fields) if holder else []
            valid = [v for v in valid if v != "source"]
            lines.append(f"{source}: {_unknown(str(loc[-1]), valid)} (at '{dotted}')")
        else:
            given = item.get("input")
            shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
            lines.append(f"{source}: key '{dotted}': {item['msg']}{shown}")
    return "invalid params file\n" + "\n".join(f"  - {line}" for line in lines)


def load_params(path: str | Path, **overrides: Any) -> RunParams:
    """Read a params YAML file into :class:`RunParams`.

    Parameters
    ----------
    path
        The params file.
    **overrides
        Top-level keys that replace the file's values (e.g. ``regions`` from the CLI).

    Raises
    ------
    ParamsError
        The file is missing, is not YAML, or fails the schema; the message names the key,
        the file and the closest valid key.
    """
    file = Path(path)
    if not file.is_file():
        raise ParamsError(f"params file not found: {file}. Pass the path of a YAML file such as params/demo.yaml.")
    try:
        raw = yaml.load(file.read_text(encoding="utf-8-sig"), Loader=ParamsLoader) or {}
    except yaml.YAMLError as exc:
        raise ParamsError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{file}: the params file must be a mapping of keys (period: 2026Q3, data: …)")
    raw.update({k: v for k, v in overrides.items() if v is not None})
    raw["source"] = str(file.resolve())
    return parse_params(raw, str(file))


def parse_params(raw: dict[str, Any], source: str = "<params>") -> RunParams:
    """Validate a params mapping (already read from YAML) into :class:`RunParams`."""
    try:
        return RunParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(explain(exc, source)) from exc


# --------------------------------------------------------------------------- reference


def documented_keys(model: type[BaseModel] = RunParams, prefix: str = "") -> list[tuple[str, str, str]]:
    """Every key of the schema as (dotted key, default, description), for params/README.md.

    Mappings of models are written ``<name>`` (e.g. ``data.tables.<table>.path``) and lists
    of models ``[]`` (``planning.actions[].when``).
    """
    rows: list[tuple[str, str, str]] = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        key = f"{prefix}{name}"
        inner = _inner_model(info.annotation)
        origin = getattr(info.annotation, "__origin__", None)
        if inner is not None and origin is dict:
            placeholder = "<table>" if name == "tables" else "<kpi>" if name == "rag" else "<column>"
            rows.append((key, _default_text(info), info.description or ""))
            rows.extend(documented_keys(inner, f"{key}.{placeholder}."))
        elif inner is not None and origin is list:
            rows.append((key, _default_text(info), info.description or ""))
            rows.extend(documented_keys(inner, f"{key}[]."))
        elif inner is not None:
            rows.extend(documented_keys(inner, f"{key}."))
        else:
            rows.append((key, _default_text(info), info.description or ""))
    return rows


def _default_text(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return f"{len(value)} rules (see below)"
    if isinstance(value, dict) and value and isinstance(next(iter(value.values())), BaseModel):
        return ", ".join(f"{k}: {v.model_dump()}" for k, v in value.items())
    if value is None:
        return "—"
    if isinstance(value, tuple):
        value = list(value)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
