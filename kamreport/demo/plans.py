"""The plan-of-record tables of the demo: objectives, the promotion plan, the bid register, forecasts up the hierarchy.

Each is derived from the hidden world and from the tables already drawn, so that they agree
with them: past promotions of the plan are the promotion runs of the spend table (planned
a little differently from what they cost), bids are placed on the opportunities and end as
they did, and the owners', regions' and company's forecasts are their accounts' forecasts
adjusted by each manager.  Vectorised like the rest of the demo; Python loops run over
quarters, owners and regions only.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamreport.contract import TABLES
from kamreport.demo.arrays import _cells, _choice, _dates, _ids, _ints, _person_names, _round_to, _text
from kamreport.demo.vocabulary import _COMPETITORS, _EPOCH, _REGIONS
from kamreport.demo.world import _World

# What a key-account plan commits to, ours and the customer's (a few in Chinese, as teams write them).
_OUR_OBJECTIVES = (
    "Run a quarterly business review with the plant manager",
    "Get the hot-runner nozzle range listed with procurement",
    "Agree a 2027 frame agreement on standard components",
    "Recover the share lost on ejector pins",
    "Set up weekly call-offs with the buyer",
    "Qualify our guide pillars with the design team",
    "Bring the overdue receivables under 10 %",
    "Open a trial order for mould bases",
    "Introduce the application engineer to the tooling shop",
    "Reduce delivery lead time to 10 days with a consignment stock",
    "与采购部签订年度框架协议",
    "完成热流道样品测试并取得认可",
    "每月与设计部门召开技术交流会",
    "将逾期应收款降到 10% 以下",
)
_CUSTOMER_OBJECTIVES = (
    "Share the 12-month tooling forecast",
    "Give us access to the new-project design reviews",
    "Confirm the trial results in writing",
    "Pay the overdue invoices by the agreed date",
    "提供下一年度模具项目计划",
    "安排设计部门参加样品评审",
)
_CONTROL_P = (0.15, 0.25, 0.30, 0.20, 0.10)  # over 80 %, 60–80 %, 30–60 %, under 30 %, unknown
_MODE_P = (0.35, 0.40, 0.25)  # open tender, rounds, negotiation


def _day(day: date) -> int:
    """A date as a day number (days since 1970-01-01)."""
    return (day - _EPOCH).days


def _days(dates: pd.Series) -> np.ndarray:
    """A date column as day numbers (missing dates as the smallest int64, never used unmasked)."""
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def objectives(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    """2–5 objectives per larger account, set over the last year, due from two quarters ago to two ahead.

    Objectives due before the run's end are mostly done, some dropped, the rest still open
    (overdue); those due later are mostly open.  One in five is the customer's commitment.
    """
    cal = w.cal
    planned = (w.policy < 2) | (rng.random(w.n) < 0.08)
    count = np.where(planned & ~w.closed, 2 + rng.poisson(1.2, w.n).clip(0, 3), 0)
    acct = np.repeat(np.arange(w.n), count)
    n = len(acct)
    last_q = cal.quarters[-1]
    # set in one of the last four quarters; due one to three quarters after it was set
    set_back = rng.integers(0, 4, n)
    quarters = [last_q.shift(-k) for k in range(4)]
    set_start = np.array([_day(q.start) for q in quarters])[set_back]
    due = set_start + rng.integers(60, 270, n)
    due = np.minimum(due, _day(last_q.shift(2).end))
    past = due <= cal.last
    u = rng.random(n)
    status = np.where(past, np.select([u < 0.68, u < 0.78], [1, 2], 0), np.where(u < 0.12, 1, 0))
    completion = np.where(status == 1, 1.0, _round_to(rng.uniform(0.0, 0.9, n), 0.05))
    customer = rng.random(n) < 0.2
    ours = rng.integers(0, len(_OUR_OBJECTIVES), n)
    theirs = rng.integers(0, len(_CUSTOMER_OBJECTIVES), n)
    texts = list(_OUR_OBJECTIVES) + list(_CUSTOMER_OBJECTIVES)
    text = np.where(customer, len(_OUR_OBJECTIVES) + theirs, ours)
    people = _person_names()
    contact = rng.integers(0, len(people), n)
    owner = np.where(customer, len(w.owners) + contact, w.owner[acct])
    frame = pd.DataFrame(
        {
            "account_id": _text(w.account_ids, acct),
            "objective": _text(texts, text),
            "owner": _text(w.owners + people, owner),
            "due": _dates(due),
            "status": _text(("open", "done", "dropped"), status),
            "completion": np.where(status == 2, np.nan, completion),
            "party": _text(("us", "customer"), customer.astype(int)),
            "quarter": _text([str(q) for q in quarters], set_back),
        }
    )
    # one objective per account and text: an account does not promise the same thing twice
    return frame.drop_duplicates(["account_id", "objective"], ignore_index=True)


def promotions(rng: np.random.Generator, w: _World, spend: pd.DataFrame, quantity: np.ndarray) -> pd.DataFrame:
    """The rolling promotion plan of the larger accounts: what ran, as it was planned, and the next three months.

    Past rows are the spend table's promotion runs (same start and submission day; planned
    spend within ±25 % of what they cost) plus a few cancelled ones; the three months after
    the history get new planned and approved promotions, the later ones not yet sent.
    """
    cal = w.cal
    key = (w.policy < 2) & ~w.closed
    number = {a: i for i, a in enumerate(w.account_ids.to_pylist())}
    runs = spend[(spend["spend_type"] == "promotion") & spend["start_date"].notna()]
    run_acct = runs["account_id"].astype(str).map(number).to_numpy(dtype=np.int64)
    runs, run_acct = runs[key[run_acct]], run_acct[key[run_acct]]
    run_start = _days(runs["start_date"])
    run_submitted = _days(runs["submitted_date"])
    run_cost = runs["amount"].to_numpy(dtype=float)
    m = len(runs)
    past_status = np.where(rng.random(m) < 0.06, 2, 1)  # a few were cancelled after all (the run is then unplanned)

    # the next three months: 0.9 promotions a month for the biggest accounts, 0.45 for the middle ones
    months = 3
    first_month = np.datetime64(cal.last + 1, "D").astype("datetime64[M]")
    bounds = (first_month + np.arange(months + 1)).astype("datetime64[D]").astype(np.int64)
    lam = np.where(key, np.where(w.policy == 0, 0.9, 0.45), 0.0)
    f_acct, f_month = _cells(rng.poisson(np.repeat(lam[:, None], months, axis=1)))
    k = len(f_acct)
    f_start = bounds[f_month] + (rng.random(k) * (bounds[f_month + 1] - bounds[f_month])).astype(np.int64)
    lead = np.where(rng.random(k) < 0.55, rng.integers(45, 76, k), rng.integers(7, 45, k))
    f_submitted = f_start - lead
    f_status = np.where(f_submitted > cal.last, 0, np.where(rng.random(k) < 0.5, 1, 0))  # not yet sent: planned
    f_status = np.where(rng.random(k) < 0.07, 2, f_status)

    acct = np.concatenate([run_acct, f_acct]).astype(np.int64)
    start = np.concatenate([run_start, f_start])
    submitted = np.concatenate([run_submitted, f_submitted])
    status = np.concatenate([past_status, f_status])
    n = len(acct)
    length = rng.integers(7, 29, n)
    uplift = rng.uniform(1.0, 1.4, n)  # the volume a promotion is planned to add
    active_days = np.maximum(w.active_months().sum(axis=1), 1) * 30.4
    daily = np.clip(quantity, 0, None) / active_days
    monthly_spend = w.spend_ratio[f_acct] * w.size[f_acct] / 12
    budget = np.concatenate([run_cost * rng.uniform(0.8, 1.25, m), monthly_spend * rng.uniform(0.4, 1.0, k)])
    order = np.lexsort((start, acct))
    # an account's promotions follow each other: one ends before the next starts (so each run's cost is its own)
    following = np.append(start[order][1:], np.iinfo(np.int64).max)
    same = np.append(acct[order][1:] == acct[order][:-1], False)
    end = np.where(same, np.minimum(start[order] + length[order], following - 1), start[order] + length[order])
    end = np.maximum(end, start[order])
    order_by_start = np.lexsort((acct[order], start[order]))
    order, end = order[order_by_start], end[order_by_start]
    frame = pd.DataFrame(
        {
            "account_id": _text(w.account_ids, acct[order]),
            "promo_id": _ids("PR", np.arange(1, n + 1), 5),
            "start": _dates(start[order]),
            "end": _dates(end),
            "submitted": _dates(submitted[order], (submitted > cal.last)[order]),
            "planned_spend": _round_to(budget[order], 100).clip(100),
            "planned_volume": _round_to(daily[acct[order]] * (end - start[order] + 1) * uplift[order], 10).clip(10),
            "status": _text(("planned", "approved", "cancelled"), status[order]),
        }
    )
    return frame


def bids(rng: np.random.Generator, opportunities: pd.DataFrame, last_day: int) -> pd.DataFrame:
    """One bid on most tendered or negotiated opportunities (a second on a few), ending as the opportunity did."""
    opps = opportunities.reset_index(drop=True)
    n_opps = len(opps)
    bid_on = (opps["bid_type"] != "framework").fillna(True).to_numpy(dtype=bool) & (rng.random(n_opps) < 0.8)
    twice = bid_on & (rng.random(n_opps) < 0.1)
    at = np.repeat(np.arange(n_opps), bid_on.astype(int) + twice.astype(int))
    second = np.zeros(len(at), dtype=bool)
    second[1:] = at[1:] == at[:-1]
    n = len(at)
    rows = opps.take(at).reset_index(drop=True)
    created = rows["created"].to_numpy().astype("datetime64[D]").astype(np.int64)
    status = rows["status"].astype(str).to_numpy()
    closed = rows["close_date"].to_numpy().astype("datetime64[D]")
    closed_day = np.where(np.isnat(closed), last_day, closed.astype(np.int64))
    span = np.maximum(closed_day - created, 1)
    submitted = created + (span * np.where(second, rng.uniform(0.6, 0.9, n), rng.uniform(0.1, 0.5, n))).astype(np.int64)
    submitted = np.minimum(submitted, last_day)
    # a first bid on an opportunity bid twice was lost; the second ends as the opportunity
    result = np.where(status == "won", 0, np.where(status == "lost", 1, 2))
    rebid = np.zeros(n, dtype=bool)
    rebid[:-1] = second[1:]
    result = np.where(rebid, 1, result)
    decided = np.where(result == 2, last_day, np.where(rebid, submitted + rng.integers(5, 20, n), closed_day))
    decided = np.maximum(np.minimum(decided, last_day), submitted)
    mode = _choice(rng, _MODE_P, n)
    rounds = np.select([mode == 0, mode == 1], [1, rng.integers(2, 5, n)], rng.integers(1, 4, n))
    amount = rows["amount"].to_numpy(dtype=float)
    first = _round_to(amount * rng.uniform(1.02, 1.25, n), 100)
    erosion = np.clip(rng.normal(0.025 * rounds, 0.02, n), 0.0, 0.25)
    final = _round_to(first * (1 - erosion), 100)
    brands = [c for c, _t in _COMPETITORS]
    one, two = rng.integers(0, len(brands), n), rng.integers(0, len(brands), n)
    pairs = [
        brands[a] if a == b else f"{brands[a]}; {brands[b]}" for a, b in zip(one.tolist(), two.tolist(), strict=True)
    ]
    rank = pd.Series(amount).rank(pct=True).to_numpy()
    impact = np.select([rank > 0.8, rank > 0.4], [0, 1], 2)
    return pd.DataFrame(
        {
            "opportunity_id": rows["opportunity_id"].astype("string"),
            "submitted": _dates(submitted),
            "tender_mode": _text(("open_tender", "rounds", "negotiation"), mode),
            "quote_rounds": _ints(rounds),
            "first_quote": first,
            "final_quote": final,
            "competitor_brands": pd.array(pairs, dtype="string"),
            "control": _text(("over_80", "60_80", "30_60", "under_30", "unknown"), _choice(rng, _CONTROL_P, n)),
            "impact": _text(("high", "medium", "low"), impact),
            "result": _text(("won", "lost", "open"), result),
            "decided": _dates(decided, result == 2),
        }
    )


def forecast_hierarchy(rng: np.random.Generator, w: _World, accounts: pd.DataFrame) -> pd.DataFrame:
    """The account forecasts with their version and category, and the owners', regions' and company's own.

    Every account forecast is submitted two weeks before its quarter; a third are revised
    mid-quarter (the later version counts).  The larger accounts add a best case.  Each owner
    commits the sum of their accounts' latest commits adjusted by their own judgement (and a
    best case and a pipeline figure), each region its owners' sum adjusted, the company its
    regions'.
    """
    cal = w.cal
    starts = {str(q): _day(q.start) for q in cal.quarters}
    base = accounts.reset_index(drop=True)
    n = len(base)
    first_day = base["period"].astype(str).map(starts).to_numpy(dtype=np.int64)
    v1 = np.maximum(first_day - rng.integers(10, 20, n), cal.first)  # the history's first quarter: on its first day
    revised = rng.random(n) < 0.33
    v2 = first_day + rng.integers(20, 45, n)
    acct_index = base["account_id"].str.slice(1).astype(int).to_numpy() - 1
    big = w.policy[acct_index] < 2
    account_rows = [
        base.assign(version=_dates(v1), category="commit"),
        base[revised].assign(
            version=_dates(v2[revised]),
            category="commit",
            forecast_revenue=_round_to(
                base["forecast_revenue"][revised].to_numpy() * rng.uniform(0.9, 1.1, int(revised.sum())), 100
            ),
        ),
        base[big].assign(
            version=_dates(v1[big]),
            category="best_case",
            forecast_revenue=_round_to(
                base["forecast_revenue"][big].to_numpy() * rng.uniform(1.05, 1.25, int(big.sum())), 100
            ),
        ),
    ]
    rows = pd.concat(account_rows, ignore_index=True)
    rows["level"] = "account"
    rows["key"] = pd.NA
    rows["submitted_by"] = rows["owner"]
    latest = rows.sort_values("version").drop_duplicates(["period", "account_id", "category"], keep="last")
    owner_region = dict(zip(w.owners, [_REGIONS[r] for r in _owner_regions(w)], strict=True))
    above: list[pd.DataFrame] = []
    sums = latest.groupby(["period", "owner", "category"], observed=True)["forecast_revenue"].sum().reset_index()
    sums["level"], sums["key"], sums["submitted_by"] = "owner", sums["owner"], sums["owner"]
    sums["forecast_revenue"] = _adjusted(sums, rng.normal(0.98, 0.04, len(sums)), 100)
    pipeline = sums[sums["category"] == "commit"].assign(category="pipeline")
    pipeline["forecast_revenue"] = _adjusted(pipeline, rng.uniform(1.2, 1.5, len(pipeline)), 100)
    owners = pd.concat([sums, pipeline], ignore_index=True)
    above.append(owners)
    owners["region"] = owners["owner"].map(owner_region)
    regions = (
        owners[owners["category"] != "pipeline"]
        .groupby(["period", "region", "category"])["forecast_revenue"]
        .sum()
        .reset_index()
    )
    regions["forecast_revenue"] = _adjusted(regions, rng.normal(0.99, 0.03, len(regions)), 1000)
    regions["level"], regions["key"] = "region", regions["region"]
    regions["submitted_by"] = "Regional manager " + regions["region"]
    above.append(regions)
    company = regions.groupby(["period", "category"])["forecast_revenue"].sum().reset_index()
    company["forecast_revenue"] = _adjusted(company, rng.normal(1.0, 0.02, len(company)), 1000)
    company["level"], company["key"], company["submitted_by"] = "company", pd.NA, "Sales director"
    above.append(company)
    for frame in above:
        day = frame["period"].astype(str).map(starts).to_numpy(dtype=np.int64) - 7
        frame["version"] = _dates(np.maximum(day, cal.first))
        frame["account_id"] = pd.NA
        frame["owner"] = frame["key"] if "owner" not in frame else frame["owner"]
    columns = list(TABLES["forecasts"].names)
    result = pd.concat([rows[columns], *(f.reindex(columns=columns) for f in above)], ignore_index=True)
    text = ["period", "account_id", "owner", "level", "key", "submitted_by", "category"]
    return result.astype({c: "string" for c in text}).astype({"forecast_revenue": "float64"})


def _adjusted(frame: pd.DataFrame, factors: np.ndarray, step: float) -> np.ndarray:
    """``frame``'s forecast revenue times a manager's judgement (``factors``), rounded to ``step``."""
    return _round_to(frame["forecast_revenue"].to_numpy(dtype=float) * factors, step)


def _owner_regions(w: _World) -> np.ndarray:
    """Each owner's region: the one most of their accounts are in (owners are hired per region)."""
    counts = np.zeros((len(w.owners), len(_REGIONS)), dtype=np.int64)
    np.add.at(counts, (w.owner.astype(np.int64), w.region.astype(np.int64)), 1)
    regions: np.ndarray = counts.argmax(axis=1)
    return regions
