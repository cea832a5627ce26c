"""What each generated document is made of: the code's declarations, read into template variables.

One function per document; each returns the variables of its template in ``templates/``.
The prose is in the templates, every list, name, column and default comes from here.
"""

from __future__ import annotations

import argparse
from typing import Any, get_args

from kamreport import errors
from kamreport.cli import build_parser
from kamreport.contract import RECIPIENTS, TABLES, Table
from kamreport.kpi.engine import FAMILIES, LEVELS, LONG_COLUMNS
from kamreport.params import RunParams, default_actions, documented_keys
from kamreport.params.relationship import RelationshipParams
from kamreport.records import QUALITY_COLUMNS
from kamreport.reference.markdown import cell, default, fill_params, table
from kamreport.registry import ACCOUNTS_CSV_COLUMNS, FIVE_INDICATORS, KPIS, Kpi, Unit
from kamreport.report.chapters import CHAPTERS
from kamreport.report.labels import KPI_TEXT, indicator_label, kpi_definition, kpi_label, run_text, stage_label, t

# The params the documents show: every default (the period is any quarter, nothing here reads it).
DEFAULTS = RunParams(period="2000Q1")
_BETTER = {True: "higher", False: "lower", None: "—"}
UNIT_MEANING: dict[str, str] = {
    "amount": "money, in the currency of the exports (`report.currency` only labels it)",
    "count": "a number of things: visits, promotions, opportunities",
    "quantity": "units of product, as the sales and order lines count them",
    "share": "a fraction, 0.25 = 25 % (CSV keeps the fraction; reports show %)",
    "pp": "percentage points: 100 × a difference of two shares",
    "multiple": "a ratio shown as ×, e.g. pipeline 1.4 × target",
    "days": "calendar days",
    "flag": "1 or 0",
    "index": "a ratio scaled to 100 of its denominator",
}

# accounts.csv: what each column holds and where docs/kpis.md defines it
ACCOUNTS_CSV_MEANING: dict[str, str] = {
    "account_id": "the account (accounts.account_id)",
    "account_name": "its name, as read",
    "region": "its region",
    "owner": "its account manager",
    "group_id": "its parent group, empty when it has none",
    "revenue": "`revenue` in P",
    "revenue_t4q": "revenue over T4Q, the tiering basis ([Tiers](kpis.md#tiers))",
    "tier": "A, B or C ([Tiers](kpis.md#tiers))",
    "key_account": "true for a key account ([Key accounts](kpis.md#key-accounts-and-the-quarterly-review))",
    "key_account_pq": "the same rule at PQ",
    "review": "added, dropped, kept, or empty when key in neither quarter",
    "share_of_wallet": "`share_of_wallet` in P",
    "share_change_pp": "`share_change_pp` in P",
    "position": "maintain, defend, attack or unknown ([Relationship position](kpis.md#relationship-position))",
    "position_pq": "the position at PQ",
    "base": "weighted revenue of P, PQ and P-2 ([Next-quarter target](kpis.md#next-quarter-target))",
    "target_nq": "the account's next-quarter target",
    "target_nq_reconciled": "`target_nq` scaled to the company's top-down target, when the params give one",
    "priority": "attack priority of a key account, 1 first; empty for other accounts",
    "relationship_stage": "strategic / value / transactional, from the rules `planning.relationship.stages`",
    "planning_level": "partner / strategic / issue_driven / reactive, from the rules `planning.relationship.levels`",
}

# data_quality.csv: one row per row set aside, conflict or note
QUALITY_MEANING: dict[str, str] = {
    "table": "the contract table",
    "kind": "`set_aside` (the row is out of the figures), `conflict` (a value chosen while deriving a master "
    "table from the sales lines) or `note` (rows kept, but worth knowing about)",
    "source_file": "the file the row came from",
    "source_row": "its row number as a person sees it (a CSV's or sheet's header is row 1; Parquet starts at 1)",
    "reason": "why, in words",
    "row": "the whole row as read, as JSON (source column names)",
}


def params_reference() -> dict[str, Any]:
    """params/README.md: every key with its default, and the default action rules."""
    return {
        "keys": table(["key", "default", "meaning"], [(f"`{k}`", d, m) for k, d, m in documented_keys()]),
        "actions": table(
            ["id", "when", "en", "zh"], [(r.id, f"`{cell(r.when)}`", r.en, r.zh) for r in default_actions()]
        ),
    }


def formulas() -> dict[str, str]:
    """KPI id → formula, from the ``FORMULAS`` of each family module (beside the code that computes it)."""
    found: dict[str, str] = {}
    for family in FAMILIES:
        found.update(family.FORMULAS)
    return found


def undefined_kpis() -> list[str]:
    """KPI ids of the registry without a label and definition (labels.KPI_TEXT) or without a formula."""
    known = formulas()
    return [k.id for k in KPIS if k.id not in KPI_TEXT or k.id not in known]


def _kpi_row(kpi: Kpi, formula: str) -> tuple[str, ...]:
    return (
        f"`{kpi.id}`",
        f"{kpi_label(kpi.id, 'en')} · {kpi_label(kpi.id, 'zh')}",
        kpi.unit,
        _BETTER[kpi.higher_is_better],
        "yes" if kpi.additive else "",
        run_text(kpi_definition(kpi.id, "en"), DEFAULTS),
        fill_params(formula),
    )


def relationship_rules() -> str:
    """The default relationship-stage and planning-level rules (``planning.relationship``) as a table."""
    defaults = RelationshipParams()
    lists = (
        ("relationship stage", "stage", defaults.stages, defaults.stage_otherwise),
        ("planning level", "level", defaults.levels, defaults.level_otherwise),
    )
    rows: list[tuple[str, ...]] = []
    for what, key, rules, otherwise in lists:
        rows += [(what, f"`{rule.value}`", f"`{cell(rule.when)}`") for rule in rules]
        rows.append((what, f"`{otherwise}`", f"otherwise (`planning.relationship.{key}_otherwise`)"))
    return table(["what", "value", "when (the first rule that holds)"], rows)


def kpi_reference() -> dict[str, Any]:
    """docs/kpis.md: every KPI of the registry by family, the five indicators, stages and units."""
    missing = undefined_kpis()
    if missing:
        raise KeyError(
            f"KPI ids without a definition: {', '.join(missing)} — give each a label and definition in "
            "kamreport/report/labels.py KPI_TEXT and a formula in its family module's FORMULAS"
        )
    known = formulas()
    extra = sorted(set(known) - {k.id for k in KPIS})
    if extra:
        raise KeyError(f"FORMULAS name ids that are not in the registry: {', '.join(extra)}")
    headers = ["id", "name", "unit", "better", "sums", "definition", "formula"]
    families = []
    for family in dict.fromkeys(k.family for k in KPIS):
        rows = [_kpi_row(k, known[k.id]) for k in KPIS if k.family == family]
        families.append({"name": family, "table": table(headers, rows)})
    probability = default_stage_probability()
    ratios = default_coverage_ratios()
    return {
        "relationship": relationship_rules(),
        "families": families,
        "five": table(
            ["indicator", "headline KPI"],
            [(indicator_label(f, "en"), f"`{k}` ({kpi_label(k, 'en')})") for f, k in FIVE_INDICATORS],
        ),
        "units": table(["unit", "meaning"], [(u, UNIT_MEANING[u]) for u in get_args(Unit)]),
        "levels": ", ".join(f"`{level}`" for level in LEVELS),
        "stages": table(
            ["stage", "win probability", "benchmark (× next-quarter target)"],
            [
                (stage_label(s, "en"), f"{p:g}", f"{ratios[s]:g}" if s in ratios else "—")
                for s, p in enumerate(probability, start=1)
            ],
        ),
    }


def default_stage_probability() -> tuple[float, ...]:
    """Win probability of stages 1..8 by default."""
    value = default("planning.funnel.stage_probability")
    assert isinstance(value, tuple)
    return tuple(float(v) for v in value)


def default_coverage_ratios() -> dict[int, float]:
    """Benchmark ratio of each open stage by default."""
    value = default("planning.funnel.coverage_ratios")
    assert isinstance(value, dict)
    return {int(k): float(v) for k, v in value.items()}


def contract_reference() -> dict[str, Any]:
    """docs/data-contract.md: every table and column of the contract, and the recipients file of ``mail``."""
    tables = []
    for spec in TABLES.values():
        note = []
        if spec.key:
            rule = "a repeated key stops the run" if spec.key_fatal else "a repeated key sets the later row aside"
            note.append(f"Key ({', '.join(spec.key)}): {rule}.")
        if spec.needs_accounts:
            note.append("A row whose `account_id` is not in `accounts` is set aside.")
        tables.append(
            {
                "name": spec.name,
                "doc": spec.doc,
                "required": spec.required,
                "note": " ".join(note),
                "table": _columns(spec),
            }
        )
    return {"tables": tables, "recipients": _columns(RECIPIENTS)}


def _columns(spec: Table) -> str:
    rows = [(c.name, c.type_label, "**R**" if c.required else "", c.default or "", c.doc) for c in spec.columns]
    return table(["column", "type", "required", "default", "notes"], rows)


def _arguments(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    rows = []
    for action in parser._actions:  # argparse keeps no public list of a parser's arguments
        if isinstance(action, argparse._HelpAction):
            continue
        name = ", ".join(action.option_strings) or action.dest.upper()
        if action.option_strings and action.nargs != 0:
            choices = "{" + ",".join(str(c) for c in action.choices) + "}" if action.choices else None
            name += f" {action.metavar or choices or action.dest.upper()}"
        text = action.help or ""
        if action.default not in (None, False, [], argparse.SUPPRESS) and "default" not in text:
            text += f" (default {action.default})"
        rows.append((f"`{name}`", text))
    return rows


def commands() -> list[dict[str, str]]:
    """Every ``kamreport`` command: its name, what it does and its arguments."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    return [
        {"name": name, "help": helps.get(name, ""), "table": table(["argument", "meaning"], _arguments(command))}
        for name, command in sub.choices.items()
    ]


def _error_classes(base: type[errors.KamreportError]) -> list[type[errors.KamreportError]]:
    found = []
    for cls in base.__subclasses__():
        found.append(cls)
        found.extend(_error_classes(cls))
    return found


def chapters() -> str:
    """Every chapter of the reports and plans, from their declarations (kamreport/report/chapters.py)."""
    rows = [
        (
            f"`{c.id}`",
            run_text(t(f"title.{c.id}", "en"), DEFAULTS),
            ", ".join(c.documents),
            ", ".join(f"`{n}`" for n in c.needs),
            run_text(t(f"intro.{c.id}", "en"), DEFAULTS),
        )
        for c in CHAPTERS
    ]
    return table(["chapter", "title", "in", "needs", "what it shows"], rows)


def outputs_reference() -> dict[str, Any]:
    """docs/outputs.md: commands, exit codes and the columns of the three CSV exports."""
    classes: list[type[errors.KamreportError]] = [errors.KamreportError, *_error_classes(errors.KamreportError)]
    missing = [c for c in ACCOUNTS_CSV_COLUMNS if c not in ACCOUNTS_CSV_MEANING]
    missing += [c for c in QUALITY_COLUMNS if c not in QUALITY_MEANING]
    if missing:
        raise KeyError(f"columns without a meaning in kamreport/reference/documents.py: {', '.join(missing)}")
    return {
        "commands": commands(),
        "chapters": chapters(),
        "errors": table(
            ["exception", "exit code", "when"],
            [(f"`{c.__name__}`", c.exit_code, (c.__doc__ or "").strip().splitlines()[0]) for c in classes],
        ),
        "levels": ", ".join(f"`{level}`" for level in LEVELS),
        "kpis_columns": ", ".join(f"`{c}`" for c in LONG_COLUMNS),
        "accounts_columns": table(
            ["column", "holds"], [(f"`{c}`", ACCOUNTS_CSV_MEANING[c]) for c in ACCOUNTS_CSV_COLUMNS]
        ),
        "quality_columns": table(["column", "holds"], [(f"`{c}`", QUALITY_MEANING[c]) for c in QUALITY_COLUMNS]),
    }
