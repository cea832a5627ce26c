"""The params file as one frozen, typed object with documented defaults.

Every threshold marked *(param)* in ``docs/kpis.md`` lives in this package and nowhere else.
An unknown or mistyped key is an error naming the key, the file and the closest valid key
(:func:`load_params`); ``params/README.md`` is the reference of every key, generated from
these models (a test keeps the two in step).

One module per part of the file: ``sources`` (data, validation), ``connections`` (databases), ``kpi``,
``planning`` and ``actions``, ``report`` (report, render), ``mail`` (delivery), ``run`` (the root),
``loading`` (YAML to models), ``env`` (environment variables in paths) and ``keys`` (the reference rows).
"""

from __future__ import annotations

from kamreport.params.actions import ActionRule, default_actions
from kamreport.params.base import Language, Output, StrictModel, Tier
from kamreport.params.connections import PLACEHOLDERS, Connection, find_placeholders, password_variable
from kamreport.params.env import expand_env
from kamreport.params.keys import documented_keys
from kamreport.params.kpi import KpiParams, KpiTarget, VisitsRequired
from kamreport.params.loading import explain, load_params, parse_params
from kamreport.params.mail import MailParams, SmtpParams
from kamreport.params.planning import (
    FunnelParams,
    KeyAccountParams,
    OpportunityParams,
    PlanningParams,
    PositionParams,
    TargetParams,
    TierParams,
)
from kamreport.params.report import Rag, RenderParams, ReportParams, ThemeParams
from kamreport.params.run import RunParams
from kamreport.params.sources import DataParams, Lookup, SetAsideRule, TableSource, ValidationParams

__all__ = [
    "PLACEHOLDERS",
    "ActionRule",
    "Connection",
    "DataParams",
    "FunnelParams",
    "KeyAccountParams",
    "KpiParams",
    "KpiTarget",
    "Language",
    "Lookup",
    "MailParams",
    "OpportunityParams",
    "Output",
    "PlanningParams",
    "PositionParams",
    "Rag",
    "RenderParams",
    "ReportParams",
    "RunParams",
    "SetAsideRule",
    "SmtpParams",
    "StrictModel",
    "TableSource",
    "TargetParams",
    "ThemeParams",
    "Tier",
    "TierParams",
    "ValidationParams",
    "VisitsRequired",
    "default_actions",
    "documented_keys",
    "expand_env",
    "explain",
    "find_placeholders",
    "load_params",
    "parse_params",
    "password_variable",
]
