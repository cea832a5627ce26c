"""Commitments (docs/kpis.md, "Plans of record and value creation"): objectives, the promotion plan, annual agreements.

What the account plan promised and what came of it, per account and quarter:

- objectives (``objectives``): due in the quarter, done among those due, still open past due;
- the rolling promotion plan (``promotions``): how much of the next three months the key
  accounts' plan covers, whether the planned promotions go to the customer early enough, and
  each promotion's planned spend and volume against what it actually cost and sold;
- annual agreements (``agreements``): what was done from January 1st to the quarter's end
  against the year's commitment times the share of the year gone by.

The objectives and promotion tables are today's snapshot: what depends on a status now
(overdue objectives, the forward plan) exists for the run's period only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.facts import Facts
from kamreport.kpi.base import INDEX, KpiContext, isin, positions, ratio, take
from kamreport.params import KpiParams
from kamreport.periods import Quarter, quarter_labels

# agreement column → (what was done, its unit, the KPI id of its attainment so far)
AGREEMENT_ITEMS: dict[str, tuple[str, str, str]] = {
    "volume_target": ("quantity", "quantity", "agreement_volume_attainment_ytd"),
    "revenue_target": ("revenue", "amount", "agreement_revenue_attainment_ytd"),
    "spend_commitment": ("spend", "amount", "agreement_spend_attainment_ytd"),
    "promotions_committed": ("promotions", "count", "agreement_promotions_attainment_ytd"),
    "displays_committed": ("displays", "count", "agreement_displays_attainment_ytd"),
}
PLAN_MONTHS = 3  # the rolling promotion plan looks this many months past the quarter
_OBJECTIVES = ("objectives_due", "objectives_done", "objectives_overdue")
_PROMOTIONS = (
    "promo_plan_months",
    "promo_plan_months_covered",
    "promo_plan_on_time",
    "promo_plan_with_lead",
    "promo_planned_spend",
    "promo_actual_spend",
    "promo_planned_volume",
    "promo_actual_volume",
)


def components(ctx: KpiContext) -> pd.DataFrame:
    """Objective counts, promotion-plan months and amounts, agreement commitments and what was done, per account."""
    frame: dict[str, pd.Series] = {}
    frame.update(_objectives(ctx))
    frame.update(_promotion_plan(ctx))
    frame.update(_agreements(ctx))
    return pd.DataFrame(frame)


# --------------------------------------------------------------------------- objectives


def objective_flags(objectives: pd.DataFrame, period: Quarter) -> pd.DataFrame:
    """The objectives with ``due_now`` (due in ``period``, not dropped) and ``overdue`` (open, due before its end)."""
    due_quarter = quarter_labels(objectives["due"])
    live = objectives["status"] != "dropped"
    overdue = (objectives["status"] == "open") & (objectives["due"] < pd.Timestamp(period.end))
    return objectives.assign(
        due_now=(live & (due_quarter == str(period))).fillna(False).astype(bool),
        overdue=overdue.fillna(False).astype(bool),
    )


def _objectives(ctx: KpiContext) -> dict[str, pd.Series]:
    if not ctx.facts.has("objectives"):
        return {name: ctx.missing() for name in _OBJECTIVES}
    objectives = ctx.facts.objectives
    live = objectives[objectives["status"] != "dropped"]
    rows = live.assign(
        quarter=quarter_labels(live["due"]),
        objectives_due=1.0,
        objectives_done=(live["status"] == "done").astype("float64"),
    )
    flagged = objective_flags(objectives, ctx.current)
    overdue = flagged.assign(quarter=str(ctx.current), objectives_overdue=flagged["overdue"].astype("float64"))
    return {
        "objectives_due": ctx.by_account(rows, "objectives_due"),
        "objectives_done": ctx.by_account(rows, "objectives_done"),
        "objectives_overdue": ctx.only_current(ctx.by_account(overdue, "objectives_overdue")),
    }


# --------------------------------------------------------------------------- the promotion plan


def plan_months(period: Quarter) -> list[str]:
    """The months the rolling plan looks at: the ``PLAN_MONTHS`` after ``period`` (``YYYY-MM``)."""
    first = np.datetime64(period.end.isoformat(), "M") + 1
    return [str(first + k) for k in range(PLAN_MONTHS)]


def promotion_months(promotions: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """For each promotion, whether it runs in each of ``months`` (a boolean column per month)."""
    flags = {}
    for month in months:
        start = pd.Timestamp(f"{month}-01")
        end = start + pd.offsets.MonthEnd(0)
        flags[month] = ((promotions["start"] <= end) & (promotions["end"] >= start)).fillna(False).astype(bool)
    return pd.DataFrame(flags, index=promotions.index)


def lead_status(promotions: pd.DataFrame, period: Quarter, lead_days: int) -> pd.DataFrame:
    """Each promotion's deadline (``start`` − ``lead_days``), whether it is judged yet and whether it was on time.

    It is judged once it was sent or its deadline has passed by the end of ``period``; on time
    when it was sent on or before its deadline.
    """
    deadline = promotions["start"] - pd.Timedelta(days=lead_days)
    sent = promotions["submitted"].notna()
    judged = sent | (deadline <= pd.Timestamp(period.end))
    on_time = sent & (promotions["submitted"] <= deadline)
    return pd.DataFrame(
        {"deadline": deadline, "judged": judged.astype(bool), "on_time": on_time.fillna(False).astype(bool)},
        index=promotions.index,
    )


def _promotion_plan(ctx: KpiContext) -> dict[str, pd.Series]:
    if not ctx.facts.has("promotions"):
        return {name: ctx.missing() for name in _PROMOTIONS}
    plan = ctx.facts.promotions
    live = plan[plan["status"] != "cancelled"]
    current = str(ctx.current)
    key = ctx.key_accounts.reindex(ctx.index).astype("float64") if ctx.key_accounts is not None else ctx.missing()
    covered = promotion_months(live, plan_months(ctx.current)).groupby(live["account_id"].to_numpy()).any().sum(axis=1)
    months_covered = ctx.per_account(covered.astype("float64")).fillna(0.0)

    upcoming = live[(quarter_labels(live["start"]) == str(ctx.current.next)).fillna(False).to_numpy(dtype=bool)]
    status = lead_status(upcoming, ctx.current, ctx.params.promo_on_time_lead_days)
    leads = upcoming.assign(
        quarter=current,
        judged=status["judged"].astype("float64"),
        on_time=(status["on_time"] & status["judged"]).astype("float64"),
    )

    ran = live.assign(quarter=quarter_labels(live["start"]))
    spend_known = ran["planned_spend"].notna()
    volume_known = ran["planned_volume"].notna()
    actual_spend = ran["actual_spend"].fillna(0.0) if ctx.facts.has("spend") else ran["actual_spend"]
    actual_volume = ran["actual_volume"].fillna(0.0) if ctx.facts.has("sales", "quantity") else np.nan
    ran = ran.assign(
        actual_spend=pd.Series(actual_spend, index=ran.index).where(spend_known),
        actual_volume=pd.Series(actual_volume, index=ran.index).where(volume_known),
    )
    return {
        "promo_plan_months": ctx.only_current(key * PLAN_MONTHS),
        "promo_plan_months_covered": ctx.only_current(key * months_covered),
        "promo_plan_on_time": ctx.only_current(ctx.by_account(leads, "on_time")),
        "promo_plan_with_lead": ctx.only_current(ctx.by_account(leads, "judged")),
        "promo_planned_spend": ctx.by_account(ran, "planned_spend"),
        "promo_actual_spend": ctx.by_account(ran, "actual_spend", fill=0.0 if ctx.facts.has("spend") else None),
        "promo_planned_volume": ctx.by_account(ran, "planned_volume"),
        "promo_actual_volume": ctx.by_account(
            ran, "actual_volume", fill=0.0 if ctx.facts.has("sales", "quantity") else None
        ),
    }


# --------------------------------------------------------------------------- annual agreements


def year_elapsed(period: Quarter) -> float:
    """The share of ``period``'s year gone by at its end (a quarter: 3, 6, 9 or 12 months of 12)."""
    return period.end.month / 12


def agreement_ytd(facts: Facts, period: Quarter, sources: _Sources | None = None) -> pd.DataFrame:
    """Each account with an agreement for ``period``'s year: its commitments and what was done so far.

    Index account_id; a column per :data:`AGREEMENT_ITEMS` commitment and per what was done
    from January 1st to the end of ``period`` — quantity and revenue (sales), spend (all trade
    spend), promotions (promotion runs: spend records of type promotion, by the quarter they
    start) and displays (visits).  What was done is zero where nothing happened and missing
    where the company lacks the table it comes from.  ``sources``: the fact frames coded once
    for a caller that asks for several quarters.
    """
    done = [d for d, _u, _k in AGREEMENT_ITEMS.values()]
    if facts.agreements.empty:
        return pd.DataFrame(columns=[*AGREEMENT_ITEMS, *done], index=pd.Index([], name="account_id"), dtype="float64")
    sources = sources or _Sources(facts)
    year = period.year
    months = [f"{year}-{m:02d}" for m in range(1, period.end.month + 1)]
    quarters = [f"{year}Q{q}" for q in range(1, period.q + 1)]
    committed = facts.agreements[facts.agreements["year"] == year]
    frame = committed.groupby("account_id")[list(AGREEMENT_ITEMS)].sum(min_count=1).astype("float64")
    ids = frame.index
    for column in ("quantity", "revenue"):
        present = facts.has("sales", column) or column == "revenue"
        frame[column] = sources.summed(facts.sales_month, "month", months, column, ids, present)
    frame["spend"] = sources.summed(facts.spend_month, "month", months, "amount", ids, facts.has("spend"))
    frame["promotions"] = sources.summed(facts.promo_leads, "quarter", quarters, "n", ids, facts.has("spend"))
    frame["displays"] = sources.summed(facts.visits, "quarter", quarters, "displays", ids, facts.has("visits"))
    return frame.rename_axis("account_id")


class _Sources:
    """The fact frames agreements read, each coded once: its accounts and its months or quarters as integers.

    A year to date then sums its rows grouped by integer codes — the same rows in the same
    order as grouping by the account ids, so the same sums — instead of hashing every
    account id and label again for every quarter and column.
    """

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._codes: dict[tuple[int, str], tuple[np.ndarray, pd.Index, np.ndarray, pd.Index]] = {}

    def _coded(self, rows: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.Index, np.ndarray, pd.Index]:
        key = (id(rows), by)  # the facts' frames, alive as long as ``self.facts``
        if key not in self._codes:
            account_codes, accounts = pd.factorize(rows["account_id"])
            label_codes, labels = pd.factorize(rows[by])
            self._codes[key] = (account_codes, pd.Index(accounts), label_codes, pd.Index(labels))
        return self._codes[key]

    def summed(
        self, rows: pd.DataFrame, by: str, within: list[str], column: str, ids: pd.Index, present: bool
    ) -> pd.Series:
        """Σ ``column`` of the rows whose ``by`` is in ``within``, per account of ``ids``.

        Zero where an account has no row, missing when the company lacks the source (``present`` false).
        """
        if not present:
            return pd.Series(np.nan, index=ids, dtype="float64")
        if column not in rows or rows.empty:
            return pd.Series(0.0, index=ids, dtype="float64")
        account_codes, accounts, label_codes, labels = self._coded(rows, by)
        wanted = np.append(isin(labels, within), False)  # code −1 (no label) → the last entry: never wanted
        # rows without an account are left out, as a group-by on the account ids leaves them out
        inside = wanted[label_codes] & (account_codes >= 0)
        values = pd.Series(rows[column].array[inside])
        summed = values.groupby(account_codes[inside]).sum().astype("float64")
        summed.index = accounts[summed.index.to_numpy()]
        return pd.Series(take(summed, positions(ids, summed.index)), index=ids).fillna(0.0)


def _agreements(ctx: KpiContext) -> dict[str, pd.Series]:
    names = [f"agreement_{item}_{part}" for item in AGREEMENT_ITEMS for part in ("done", "expected")]
    if not ctx.facts.has("agreements"):
        return {name: ctx.missing() for name in names}
    frames = []
    sources = _Sources(ctx.facts)
    first = min((q.year, q.q) for q in ctx.quarters)
    # a year that began before the trend window is left missing: its first months may not have been read
    for quarter in [q for q in ctx.quarters if (q.year, 1) >= first]:
        ytd = agreement_ytd(ctx.facts, quarter, sources)
        part = pd.DataFrame(index=ytd.index)
        for item, (done, _unit, _kpi) in AGREEMENT_ITEMS.items():
            committed = ytd[item]
            part[f"agreement_{item}_done"] = ytd[done].where(committed.notna())
            part[f"agreement_{item}_expected"] = committed * year_elapsed(quarter)
        frames.append(pd.concat({str(quarter): part}, names=[INDEX[0]]))
    if not frames:
        return {name: ctx.missing() for name in names}
    joined = pd.concat(frames)
    joined.index = joined.index.set_names(INDEX)
    aligned = joined.reindex(ctx.index)
    return {name: aligned[name].astype("float64") for name in names}


# The formula of each id, as docs/kpis.md prints it ({dotted.key} is a params default).
FORMULAS: dict[str, str] = {
    "objectives_due": "objectives due in P (`objectives.due`), not dropped",
    "objectives_done_share": "objectives due in P with `status` done / `objectives_due`",
    "objectives_overdue": "objectives still open whose `due` is before P's last day (today's status: the run's "
    "period only)",
    "promo_plan_coverage": "(key account, month) pairs of the 3 months after P with at least one planned or "
    "approved promotion running / (key accounts × 3); the run's period only",
    "promo_plan_on_time_share": "planned and approved promotions starting in NQ sent to the customer at least "
    "{kpi.promo_on_time_lead_days} days before their `start` / those sent or past that deadline at P's last day",
    "promo_planned_spend": "Σ `promotions.planned_spend` of the promotions planned or approved starting in P",
    "promo_actual_spend": "Σ the cost of the promotion runs (spend of type `promotion`) of those promotions' "
    "accounts starting between their `start` and `end`, over the promotions with a planned spend",
    "promo_spend_vs_plan": "`promo_actual_spend` / `promo_planned_spend`",
    "promo_planned_volume": "Σ `promotions.planned_volume` of the promotions planned or approved starting in P",
    "promo_actual_volume": "Σ the account's quantity sold from each promotion's `start` to its `end`, over the "
    "promotions with a planned volume",
    "promo_volume_vs_plan": "`promo_actual_volume` / `promo_planned_volume`",
    **{
        kpi: f"Σ {done} from January 1st to P's last day of the accounts whose agreement for P's year has a "
        f"`{item}` / (Σ `agreements.{item}` × months gone by / 12); missing for a trend quarter whose year "
        "began before the first trend quarter"
        for item, (done, _unit, kpi) in AGREEMENT_ITEMS.items()
    },
}


def values(c: pd.DataFrame, params: KpiParams) -> dict[str, pd.Series]:
    """The commitment ids from (summed) components."""
    result = {
        "objectives_due": c["objectives_due"],
        "objectives_done_share": ratio(c["objectives_done"], c["objectives_due"]),
        "objectives_overdue": c["objectives_overdue"],
        "promo_plan_coverage": ratio(c["promo_plan_months_covered"], c["promo_plan_months"]),
        "promo_plan_on_time_share": ratio(c["promo_plan_on_time"], c["promo_plan_with_lead"]),
        "promo_planned_spend": c["promo_planned_spend"],
        "promo_actual_spend": c["promo_actual_spend"],
        "promo_spend_vs_plan": ratio(c["promo_actual_spend"], c["promo_planned_spend"]),
        "promo_planned_volume": c["promo_planned_volume"],
        "promo_actual_volume": c["promo_actual_volume"],
        "promo_volume_vs_plan": ratio(c["promo_actual_volume"], c["promo_planned_volume"]),
    }
    for item, (_done, _unit, kpi) in AGREEMENT_ITEMS.items():
        result[kpi] = ratio(c[f"agreement_{item}_done"], c[f"agreement_{item}_expected"])
    return result
