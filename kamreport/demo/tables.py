"""Every table of the data contract, derived from the hidden world with its own random stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kamreport.data.customers import name_key
from kamreport.demo.arrays import (
    _bools,
    _business_days,
    _Calendar,
    _cells,
    _choice,
    _dates,
    _ids,
    _ints,
    _labels,
    _person_names,
    _round_to,
    _text,
)
from kamreport.demo.vocabulary import (
    _BID_TYPES,
    _BRAND_CHARS,
    _COMPETITOR_P,
    _COMPETITORS,
    _CONTACT_ROLES,
    _EN_PREFIXES,
    _EN_SUFFIXES,
    _EPOCH,
    _INFLUENCE,
    _LOST_AT,
    _OPP_STATUS,
    _ORDERS_PER_LINE,
    _PLACES,
    _PRODUCT_TREE,
    _REGIONS,
    _SEGMENTS,
    _SPEND_TYPES,
    _TRICKY_NAMES,
    _VISIT_NOTES,
    _VISIT_STATUS,
    _WIN_CURVE_OPEN,
)
from kamreport.demo.world import _DIVISIONS, _World


def _company_names(rng: np.random.Generator, w: _World, segment: np.ndarray) -> list[str]:
    """Half Chinese (``苏州恒达精密模具有限公司 (Suzhou)``), half English; group sites share a brand.

    Components are drawn per account; a name alike an earlier one once width, case,
    punctuation and legal forms are set aside (:func:`~kamreport.data.customers.name_key`)
    is redrawn with a salt, and numbered only when the vocabulary runs out (hundreds of
    thousands of accounts).  Then a few accounts are renamed as another account of their
    region written differently (:func:`_plant_duplicates`): the likely duplicates a real
    customer master holds.
    """
    n = w.n
    chinese = rng.random(n) < 0.5
    group_chinese = rng.random(w.n_groups) < 0.5
    draws = rng.integers(0, 1 << 30, (n, 4))  # place, brand, industry, suffix
    with_place = rng.random(n) < 0.3
    pairs = [a + b for a in _BRAND_CHARS for b in _BRAND_CHARS if a != b]
    group_brand = rng.permutation(len(pairs))[np.arange(w.n_groups) % len(pairs)]
    group_word = rng.permutation(len(_EN_PREFIXES))[np.arange(w.n_groups) % len(_EN_PREFIXES)]
    segments = list(_SEGMENTS.values())

    def one(i: int, salt: int) -> str:
        place, brand, industry, suffix = (int(x) + salt * (k + 1) for k, x in enumerate(draws[i]))
        places = _PLACES[_REGIONS[w.region[i]]]
        cn_place, py_place = places[place % len(places)]
        _p, cn_words, en_words = segments[segment[i]]
        cn_industry, en_industry = cn_words[industry % len(cn_words)], en_words[industry % len(en_words)]
        g = int(w.group[i])
        if g >= 0:
            if group_chinese[g]:
                return f"{pairs[group_brand[g]]}集团{cn_place}{cn_industry}有限公司 ({py_place})"
            return f"{_EN_PREFIXES[group_word[g]]} Group {en_industry} ({py_place})"
        if chinese[i]:
            first, second = brand % len(_BRAND_CHARS), 1 + (brand // len(_BRAND_CHARS)) % (len(_BRAND_CHARS) - 1)
            two = _BRAND_CHARS[first] + _BRAND_CHARS[(first + second) % len(_BRAND_CHARS)]
            return f"{cn_place}{two}{cn_industry}有限公司 ({py_place})"
        tail = f" ({py_place})" if with_place[i] else ""
        return (
            f"{_EN_PREFIXES[brand % len(_EN_PREFIXES)]} {en_industry}{tail}{_EN_SUFFIXES[suffix % len(_EN_SUFFIXES)]}"
        )

    names = [one(i, 0) for i in range(n)]
    loners = np.flatnonzero(w.group < 0)
    tricky_at = rng.choice(loners, min(len(_TRICKY_NAMES), n // 100), replace=False)
    for i, tricky in zip(tricky_at, _TRICKY_NAMES[: len(tricky_at)], strict=True):
        names[i] = tricky
    keys = name_key(pd.Series(names, dtype="string")).fillna("").tolist()
    seen: set[str] = set()
    for i in range(n):
        salt, name, key = 0, names[i], keys[i]
        while key in seen:
            salt += 1
            name = one(i, salt) if salt < 30 else f"{names[i]} No.{salt}"
            key = str(name_key(pd.Series([name], dtype="string")).fillna("").iloc[0])
        seen.add(key)
        names[i] = name
    return _plant_duplicates(names, w, set(int(i) for i in tricky_at))


def _plant_duplicates(names: list[str], w: _World, keep: set[int]) -> list[str]:
    """Rename about one account in a hundred (at least two) as another loner of its region, written differently.

    The variant drops the legal form or adds one, turns brackets full-width and changes
    case, as exports of one customer from two systems do.  Deterministic: the pairs come
    from a generator seeded by the number of accounts, not from the demo's streams.
    """
    pick = np.random.default_rng([len(names), 20260])
    loners = [i for i in np.flatnonzero(w.group < 0).tolist() if i not in keep]
    by_region: dict[int, list[int]] = {}
    for i in loners:
        by_region.setdefault(int(w.region[i]), []).append(i)
    wanted = max(2, len(names) // 100)
    names = list(names)
    taken: set[int] = set()
    for first in pick.permutation(loners).tolist():
        if len(taken) >= 2 * wanted:
            break
        partners = by_region[int(w.region[first])]
        second = partners[int(pick.integers(len(partners)))]
        if first in taken or second in taken or second == first:
            continue
        names[second] = _variant(names[first])
        taken |= {first, second}
    return names


def _variant(name: str) -> str:
    """The same customer as an other export writes it: legal form, bracket width and case differ."""
    if "有限公司" in name:
        return name.replace("有限公司", "").replace(" (", "（").replace(")", "）")
    for suffix in (" Co., Ltd.", " Ltd.", " Inc.", " GmbH"):
        if name.endswith(suffix):
            return name[: -len(suffix)].upper()
    return name.upper() + " Co., Ltd."


def _group_names(names: list[str], w: _World) -> list[str]:
    """Each group customer's name: the brand its sites' names share (``兴信集团``, ``Dragon Gate Group``)."""
    first: dict[int, str] = {}
    for i in np.flatnonzero(w.group >= 0).tolist():
        first.setdefault(int(w.group[i]), names[i])
    groups = []
    for g in range(w.n_groups):
        name = first.get(g, "")
        for word in ("集团", " Group"):
            if word in name:
                name = name[: name.index(word) + len(word)]
                break
        groups.append(name or f"Group {g + 1}")
    return groups


def _accounts(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    n = w.n
    segment = _choice(rng, [v[0] for v in _SEGMENTS.values()], n)
    # potential ≈ monthly category demand: our monthly revenue / our share, with noise
    potential = _round_to(w.size / 12 / w.share[:, -1] * rng.lognormal(0.0, 0.25, n), 100).clip(500)
    # a handful of small accounts with a big potential: the key-account potential rule matters
    promising = rng.choice(np.flatnonzero(w.rank > 0.4), max(3, n // 100), replace=False)
    potential[promising] = _round_to(rng.uniform(52_000, 160_000, len(promising)), 100)
    credit = _round_to(w.size / 12 * w.terms / 30 * rng.uniform(1.2, 2.5, n), 10_000).clip(10_000)
    group_width = max(3, len(str(w.n_groups)))
    names = _company_names(rng, w, segment)
    return pd.DataFrame(
        {
            "account_id": pd.arrays.ArrowStringArray(w.account_ids),
            "account_name": pd.array(names, dtype="string"),
            "region": _text(_REGIONS, w.region),
            "owner": _text(w.owners, w.owner),
            "group_id": _text(
                [f"G{g + 1:0{group_width}d}" for g in range(w.n_groups)], np.maximum(w.group, 0), w.group < 0
            ),
            "group_name": _text(_group_names(names, w), np.maximum(w.group, 0), w.group < 0),
            "segment": _text(list(_SEGMENTS), segment),
            "status": _text(("active", "closed"), w.closed.astype(int)),
            "potential_monthly": np.where(rng.random(n) < 0.03, np.nan, potential),
            "competitor": _text([c for c, _t in _COMPETITORS], w.competitor),
            "competitor_tier": _text([t for _c, t in _COMPETITORS], w.competitor),
            "decision_style": _text(("authoritative", "consultative", "advisory"), _choice(rng, (0.4, 0.4, 0.2), n)),
            "credit_limit": np.where(rng.random(n) < 0.8, credit, np.nan),
            "payment_terms_days": _ints(w.terms),
        }
    )


def _products(w: _World) -> pd.DataFrame:
    c = w.catalog
    return pd.DataFrame(
        {
            "product_code": pd.array(c.codes, dtype="string"),
            "business_group": _text(list(_PRODUCT_TREE), c.business_group),
            "category": _text(c.category_names, c.category),
            "subcategory": _text(c.subcategory_names, c.subcategory),
            "high_margin": _bools(c.high_margin),
            "strategic": _bools(c.strategic),
        }
    )


@dataclass(frozen=True)
class _SalesFacts:
    """What other tables need from sales: revenue per account and month, and the invoices."""

    revenue: np.ndarray  # (accounts × months)
    quantity: np.ndarray  # (accounts)
    invoice_ids: pa.Array  # every invoice number, credit notes included
    invoice_no: np.ndarray  # index into invoice_ids, for invoices with a positive total
    invoice_account: np.ndarray
    invoice_day: np.ndarray
    invoice_amount: np.ndarray

    def quarterly(self) -> np.ndarray:
        a, m = self.revenue.shape
        quarters: np.ndarray = self.revenue.reshape(a, m // 3, 3).sum(axis=2)
        return quarters


def _sales_month(rng: np.random.Generator, w: _World, month: int, counts: np.ndarray) -> dict[str, np.ndarray]:
    """The invoice lines of one month, ordered by day, account, credit note and product."""
    cal, cat = w.cal, w.catalog
    acct = np.repeat(np.arange(w.n, dtype=np.int32), counts)
    n = len(acct)
    month_len = int(cal.month_start[month + 1] - cal.month_start[month])
    # rhythm: some accounts book most of the month on days 22+, the others spread evenly
    u = rng.random(n)
    late_p = w.late_p[acct]
    late = rng.random(n) < late_p  # False where NaN (even accounts)
    offset = np.where(np.isnan(late_p), u * month_len, np.where(late, 21 + u * (month_len - 21), u * 21)).astype(
        np.int64
    )

    value = w.line_value[acct] * rng.lognormal(-0.245, 0.7, n)
    product = cat.choose(rng, w.hm_share[acct], value)
    price = cat.price[product] * w.price_factor[acct]
    qty = np.maximum(1.0, np.rint(value / price))
    ret = rng.random(n) < 0.02  # returns: negative quantity and revenue
    qty[ret] *= -1
    revenue = np.round(qty * price, 2)
    cost = np.round(revenue * (1 - cat.margin[product] - rng.normal(0, 0.03, n)), 2)
    cost[rng.random(n) < 0.01] = np.nan

    # an invoice = one account, one day, one kind (sale or credit note), never the same product
    # twice -- so no two lines are ever identical
    key = (offset << 40) | (acct.astype(np.int64) << 12) | (ret.astype(np.int64) << 11) | product
    order = np.argsort(key, kind="stable")
    key, product = key[order], product[order]
    new_invoice = np.ones(n, dtype=bool)
    new_invoice[1:] = ((key[1:] >> 11) != (key[:-1] >> 11)) | (product[1:] == product[:-1]) | (rng.random(n - 1) < 0.12)
    return {
        "acct": acct[order],
        "day": cal.month_start[month] + offset[order],
        "product": product,
        "qty": qty[order],
        "revenue": revenue[order],
        "cost": cost[order],
        "new_invoice": new_invoice,
    }


def _sales(rng: np.random.Generator, w: _World) -> tuple[pd.DataFrame, _SalesFacts]:
    cal, cat = w.cal, w.catalog
    counts = rng.poisson(w.lam)
    months = [_sales_month(rng, w, m, counts[:, m]) for m in range(cal.n_months)]
    lines = {name: np.concatenate([part.pop(name) for part in months]) for name in list(months[0])}
    month = np.repeat(np.arange(cal.n_months), counts.sum(axis=0))
    acct, day, revenue = lines["acct"], lines["day"], lines["revenue"]

    starts = np.flatnonzero(lines["new_invoice"])
    invoice = np.cumsum(lines.pop("new_invoice")) - 1
    invoice_ids = _labels("INV", np.arange(1, len(starts) + 1), 8)
    amount = np.add.reduceat(revenue, starts) if len(acct) else np.zeros(0)
    positive = amount > 0
    a_n, m_n = w.n, cal.n_months
    facts = _SalesFacts(
        revenue=np.bincount(acct.astype(np.int64) * m_n + month, weights=revenue, minlength=a_n * m_n).reshape(
            a_n, m_n
        ),
        quantity=np.bincount(acct, weights=lines["qty"], minlength=a_n),
        invoice_ids=invoice_ids,
        invoice_no=np.flatnonzero(positive),
        invoice_account=acct[starts][positive],
        invoice_day=day[starts][positive],
        invoice_amount=np.round(amount[positive], 2),
    )
    del month, amount, starts
    frame = pd.DataFrame(
        {
            "date": _dates(day),
            "account_id": _text(w.account_ids, acct),
            "revenue": revenue,
            "quantity": lines["qty"],
            "cost": lines["cost"],
            "product_code": _text(cat.codes, lines["product"]),
            "division": _text(_DIVISIONS, cat.division[lines["product"]]),
            "invoice_id": _text(invoice_ids, invoice),
        }
    )
    return frame, facts


def _visits(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    cal = w.cal
    n_q = cal.n_quarters
    base = np.array([12.0, 6.0, 2.0])[w.policy] * rng.uniform(0.5, 1.2, w.n)
    # visited from the start (prospects too) until the account closed
    lam = base[:, None] * (np.arange(n_q) * 3 < w.stop_m[:, None])
    silent = w.likely_key & (rng.random(w.n) < 0.10)  # key accounts nobody visited last quarter
    silent[rng.choice(np.flatnonzero(w.likely_key), min(2, int(w.likely_key.sum())), replace=False)] = True
    lam[silent, -1] = 0
    acct, q = _cells(rng.poisson(lam))
    n = len(acct)
    day = _business_days(rng, cal.quarter_start[q], cal.month_start[3 * q + 3] - 1)
    # mostly the owner, sometimes one of the region's support reps
    first_support = np.searchsorted(w.support_region, np.arange(len(_REGIONS)))
    n_support = np.bincount(w.support_region, minlength=len(_REGIONS))
    region = w.region[acct]
    support = first_support[region] + (rng.random(n) * n_support[region]).astype(np.int64)
    rep = np.where(rng.random(n) < 0.15, len(w.owners) + support, w.owner[acct])
    # one visit per rep, account and day
    key = ((day - cal.first) << 32) | (acct.astype(np.int64) << 8) | rep
    keep = np.unique(key, return_index=True)[1]
    acct, day, rep = acct[keep], day[keep], rep[keep]
    n = len(acct)
    status = _choice(rng, (0.85, 0.08, 0.07), n)
    done = status == 0
    successful_known = done & (rng.random(n) < 0.9)
    notes = _choice(rng, np.ones(len(_VISIT_NOTES)), n)
    return pd.DataFrame(
        {
            "date": _dates(day),
            "account_id": _text(w.account_ids, acct),
            "rep": _text(w.owners + w.supports, rep),
            "planned": _bools(rng.random(n) < 0.85),
            "status": _text(_VISIT_STATUS, status),
            "successful": _bools(rng.random(n) < 0.65, ~successful_known),
            "promotions": _ints(np.where(done, rng.poisson(0.25, n), 0)),
            "displays": _ints(np.where(done, rng.poisson(0.15, n), 0)),
            "contact_role": _text(_CONTACT_ROLES, _choice(rng, (0.35, 0.25, 0.15, 0.15, 0.10), n)),
            "notes": _text(_VISIT_NOTES, notes, rng.random(n) < 0.6),
        }
    )


def _orders(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    cal = w.cal
    last = cal.last
    acct, month = _cells(rng.poisson(w.lam * _ORDERS_PER_LINE))
    order_day = _business_days(rng, cal.month_start[month], cal.month_start[month + 1] - 1)
    order = np.lexsort((acct, order_day))
    acct, order_day = acct[order], order_day[order]
    k = 1 + np.minimum(rng.poisson(1.2, len(acct)), 7)
    line_order = np.repeat(np.arange(len(acct)), k)
    line_no = np.arange(len(line_order)) - np.repeat(np.cumsum(k) - k, k) + 1
    acct, day = acct[line_order], order_day[line_order]
    n = len(acct)

    value = w.line_value[acct] * rng.lognormal(-0.18, 0.6, n)
    product = w.catalog.choose(rng, w.hm_share[acct], value)
    ordered = np.maximum(1.0, np.rint(value / w.catalog.price[product]))
    p_bad = np.array([0.55, 0.30, 0.0, 0.15])
    p_good = np.array([0.93, 0.035, 0.015, 0.02])
    u = rng.random(n)
    cdf = np.where(w.fill_bad[acct][:, None], np.cumsum(p_bad), np.cumsum(p_good))
    kind = (u[:, None] >= cdf).sum(axis=1)  # 0 full, 1 partial, 2 over, 3 nothing
    delivered = np.select(
        [kind == 0, kind == 1, kind == 2],
        [ordered, np.floor(ordered * rng.uniform(0.4, 0.95, n)), np.ceil(ordered * rng.uniform(1.02, 1.2, n))],
        0.0,
    )

    lead = rng.integers(5, 31, n)
    requested = day + lead
    too_late = requested > last
    requested = np.where(too_late, day + ((last - day + 1) * rng.random(n)).astype(np.int64), requested)
    late = rng.random(n) < np.where(w.fill_bad[acct], 0.35, 0.14)
    delivered_day = np.where(
        late, requested + rng.integers(1, 22, n), np.maximum(day, requested - rng.integers(0, 5, n))
    )
    still_open = delivered_day > last
    delivered = np.where(still_open, 0.0, delivered)
    return pd.DataFrame(
        {
            "order_id": _text(_labels("SO", np.arange(1, len(k) + 1), 8), line_order),
            "account_id": _text(w.account_ids, acct),
            "order_date": _dates(day),
            "qty_ordered": ordered,
            "qty_delivered": delivered,
            "requested_date": _dates(requested, rng.random(n) < 0.05),
            "delivered_date": _dates(delivered_day, delivered <= 0),
            "product_code": _text(w.catalog.codes, product),
            "line_no": _ints(line_no),
        }
    )


def _period_labels(cal: _Calendar) -> list[str]:
    return [str(q) for q in cal.quarters]


def _quarterly_frame(w: _World, mask: np.ndarray, columns: dict[str, Any]) -> pd.DataFrame:
    """Rows for the (account, quarter) cells where ``mask`` is true, quarter-major order."""
    q, a = np.nonzero(mask.T)
    head = {"period": _text(_period_labels(w.cal), q), "account_id": _text(w.account_ids, a)}
    return pd.DataFrame(head | {name: fn(a, q) for name, fn in columns.items()})


def _targets(rng: np.random.Generator, w: _World, rev_q: np.ndarray) -> pd.DataFrame:
    # the plan: prior-year revenue (three quarters around the same quarter) × 1.00–1.20;
    # in the first year, the year before is estimated from the account's growth
    padded = np.pad(rev_q, ((0, 0), (1, 1)), mode="edge")
    smooth = (padded[:, :-2] + padded[:, 1:-1] + padded[:, 2:]) / 3
    prior = np.full_like(rev_q, np.nan)
    prior[:, 4:] = smooth[:, :-4]
    base = np.where(prior > 0, prior, smooth / (1 + w.growth[:, None]))
    in_plan = (np.arange(w.cal.n_quarters) * 3 < w.stop_m[:, None]) & (base > 0) & (rev_q.sum(axis=1) > 0)[:, None]
    target = _round_to(base * rng.uniform(1.0, 1.2, base.shape), 100)
    return _quarterly_frame(w, in_plan & (target > 0), {"revenue_target": lambda a, q: target[a, q]})


def _demand(rng: np.random.Generator, w: _World, rev_q: np.ndarray) -> pd.DataFrame:
    mask = w.has_demand[:, None] & (rev_q > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        demand = rev_q / w.share
    magnitude = 10 ** np.floor(np.log10(np.where(mask, demand, 1.0)) - 2)
    demand = np.round(demand / magnitude) * magnitude  # three significant digits, as surveyed
    survey = rng.random(w.n) < np.where(w.policy < 2, 0.7, 0.3)
    return _quarterly_frame(
        w,
        mask,
        {
            "total_demand": lambda a, q: demand[a, q],
            "source": lambda a, q: _text(("estimate", "survey"), survey[a].astype(int)),
        },
    )


def _forecasts(rng: np.random.Generator, w: _World, rev_q: np.ndarray) -> pd.DataFrame:
    error = rng.uniform(0.05, 0.25, rev_q.shape) * np.where(rng.random(rev_q.shape) < 0.55, 1, -1)
    forecast = _round_to(rev_q * (1 + error), 100)
    return _quarterly_frame(
        w,
        rev_q > 0,
        {
            "forecast_revenue": lambda a, q: forecast[a, q],
            "owner": lambda a, q: _text(w.owners, w.owner[a]),
        },
    )


def _opportunities(rng: np.random.Generator, w: _World, traded: np.ndarray) -> pd.DataFrame:
    cal = w.cal
    base = np.array([3, 2, 1])[w.policy]
    count = np.where(
        traded, np.minimum(base + rng.poisson(np.array([2.0, 1.0, 0.6])[w.policy]), np.array([9, 6, 4])[w.policy]), 0
    )
    acct = np.repeat(np.arange(w.n), count)
    n = len(acct)
    status = _choice(rng, (0.50, 0.27, 0.23), n)
    no_open = w.likely_key & (rng.random(w.n) < 0.10)  # key accounts with an empty pipeline
    no_open[rng.choice(np.flatnonzero(w.likely_key), min(2, int(w.likely_key.sum())), replace=False)] = True
    forced = (status == 0) & (no_open | w.closed)[acct]
    status = np.where(forced, 1 + (rng.random(n) < 0.5), status)
    # open: any stage 1–7, more at the early ones; won: 8; lost: the stage it was lost at
    stage = np.where(
        status == 0, 1 + _choice(rng, _WIN_CURVE_OPEN, n), np.where(status == 1, 8, 1 + _choice(rng, _LOST_AT, n))
    ).astype(np.int64)

    first = np.maximum(cal.first, cal.month_start[np.minimum(w.start_m, cal.n_months - 1)])[acct]
    last_trade = cal.month_start[w.stop_m][acct] - 1
    # closed more often lately (the older ones drop out of the CRM's snapshot): density rising to three times the mean
    close = first + (np.cbrt(rng.random(n)) * (last_trade - first + 1)).astype(np.int64)
    is_open = status == 0
    newest = np.where(is_open, cal.last - 10, close)
    age = np.where(is_open, rng.integers(0, 350, n), rng.integers(30, 270, n))
    created = newest - np.minimum(age, np.maximum(newest - first, 0))
    # open ones are expected mostly next quarter, some this quarter, a few the one after
    when = _choice(rng, (0.2, 0.7, 0.1), n)
    quarters = [cal.quarters[-1].shift(k) for k in range(3)]
    lo = np.array([(q.start - _EPOCH).days for q in quarters])[when]
    hi = np.array([(q.end - _EPOCH).days for q in quarters])[when]
    lo = np.maximum(lo, created)
    expected_open = lo + (rng.random(n) * (hi - lo + 1)).astype(np.int64)
    expected_closed = np.clip(close + rng.integers(-45, 30, n), created, cal.last)
    p_yes = 0.12 + 0.09 * stage - np.where(status == 2, 0.15, 0.0)
    answers = rng.random((n, 20)) < p_yes[:, None]
    missing = rng.random((n, 20)) < 0.03
    # mostly the account's main competitor, sometimes another one
    competitor = np.where(rng.random(n) < 0.7, w.competitor[acct], _choice(rng, _COMPETITOR_P, n))
    amount = _round_to(w.size[acct] * rng.lognormal(np.log(0.15), 0.8, n), 1000).clip(1000)

    frame = pd.DataFrame(
        {
            "account_id": _text(w.account_ids, acct),
            "owner": _text(w.owners, w.owner[acct]),
            "stage": _ints(stage),
            "amount": amount,
            "status": _text(_OPP_STATUS, status),
            "expected_close": _dates(np.where(is_open, expected_open, expected_closed)),
            "close_date": _dates(close, is_open),
            "created": _dates(created),
        }
        | {f"q{i + 1:02d}": _bools(answers[:, i], missing[:, i]) for i in range(20)}
        | {
            "competitor": _text([c for c, _t in _COMPETITORS], competitor),
            "bid_type": _text(_BID_TYPES, _choice(rng, (0.3, 0.5, 0.2), n)),
        }
    )
    # numbered in the order they were created
    frame = frame.take(np.lexsort((acct, created))).reset_index(drop=True)
    frame.insert(0, "opportunity_id", pd.Series(_ids("O", np.arange(1, n + 1), 6)))
    return frame


def _spend(rng: np.random.Generator, w: _World, revenue_m: np.ndarray) -> pd.DataFrame:
    cal = w.cal
    active = w.active_months()
    events = np.array([3.0, 1.2, 0.3])[w.policy]
    acct, month = _cells(rng.poisson(events[:, None] * active))
    n = len(acct)
    months_active = np.maximum(active.sum(axis=1), 1)
    monthly_revenue = np.clip(revenue_m, 0, None).sum(axis=1) / months_active
    budget = w.spend_ratio * monthly_revenue / events
    amount = _round_to(budget[acct] * rng.lognormal(-0.18, 0.6, n), 10).clip(50)
    kind = _choice(rng, (0.15, 0.35, 0.20, 0.15, 0.15), n)
    day = _business_days(rng, cal.month_start[month], cal.month_start[month + 1] - 1)
    promo = kind == 1
    lead_kind = _choice(rng, (0.85, 0.08, 0.07), n)
    lead = np.select(
        [lead_kind == 0, lead_kind == 1], [rng.integers(7, 15, n), rng.integers(15, 45, n)], rng.integers(45, 76, n)
    )
    day = np.where(promo, np.maximum(day, cal.first + lead), day)  # submitted within the history
    key = ((day - cal.first) << 32) | (acct.astype(np.int64) << 4) | kind
    keep = np.unique(key, return_index=True)[1]  # one booking per account, day and type
    day, acct, amount, kind, promo, lead = day[keep], acct[keep], amount[keep], kind[keep], promo[keep], lead[keep]
    return pd.DataFrame(
        {
            "date": _dates(day),
            "account_id": _text(w.account_ids, acct),
            "amount": amount,
            "spend_type": _text(_SPEND_TYPES, kind),
            "submitted_date": _dates(day - lead, ~promo),
            "start_date": _dates(day, ~promo),
        }
    )


def _receivables(rng: np.random.Generator, w: _World, s: _SalesFacts) -> pd.DataFrame:
    cal = w.cal
    acct = s.invoice_account
    n = len(acct)
    due = s.invoice_day + w.terms[acct]
    pay = w.pay_class[acct]
    delay = np.select([pay == 0, pay == 1], [rng.normal(-2, 5, n), rng.normal(18, 12, n)], rng.normal(70, 30, n))
    paid = np.maximum(due + np.rint(delay).astype(np.int64), s.invoice_day + 1)
    stuck = (pay == 2) & (s.invoice_day > cal.last - 200) & (rng.random(n) < 0.6)
    open_ = stuck | (paid > cal.last)
    return pd.DataFrame(
        {
            "invoice_id": _text(s.invoice_ids, s.invoice_no),
            "account_id": _text(w.account_ids, acct),
            "invoice_date": _dates(s.invoice_day),
            "amount": s.invoice_amount,
            "due_date": _dates(due),
            "paid_date": _dates(paid, open_),
        }
    )


def _contacts(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    count = np.clip(np.array([4, 3, 2])[w.policy] + rng.poisson(0.8, w.n), 2, 6)
    acct = np.repeat(np.arange(w.n), count)
    n = len(acct)
    names = _person_names()
    universe = rng.permutation(len(names))
    within = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    name = universe[(rng.integers(0, len(names), w.n)[acct] + within) % len(names)]  # distinct per account
    return pd.DataFrame(
        {
            "account_id": _text(w.account_ids, acct),
            "name": _text(names, name),
            "role": _text(_CONTACT_ROLES, _choice(rng, (0.3, 0.2, 0.2, 0.2, 0.1), n)),
            "influence": _text(_INFLUENCE, _choice(rng, (0.2, 0.35, 0.2, 0.25), n)),
            "strength": _ints(1 + _choice(rng, (0.1, 0.2, 0.3, 0.25, 0.15), n)),
        }
    )


def _agreements(rng: np.random.Generator, w: _World, s: _SalesFacts) -> pd.DataFrame:
    cal = w.cal
    years = cal.years
    year_of_month = np.array([q.year for q in cal.quarters]).repeat(3)
    first_year = year_of_month[np.minimum(w.start_m, cal.n_months - 1)]
    last_year = year_of_month[np.maximum(w.stop_m - 1, 0)]
    eligible = (w.rank < 0.25)[:, None] & (years >= first_year[:, None]) & (years <= last_year[:, None])
    a, y = np.nonzero(eligible)
    level = w.size[a] * (1 + w.growth[a]) ** (years[y] - years.mean())
    revenue_target = _round_to(level * rng.uniform(1.0, 1.15, len(a)), 10_000).clip(10_000)
    unit_revenue = s.revenue.sum(axis=1) / np.where(s.quantity > 0, s.quantity, np.nan)
    volume = _round_to(revenue_target / np.nan_to_num(unit_revenue[a], nan=100.0), 100)
    big = w.policy[a] == 0
    return pd.DataFrame(
        {
            "account_id": _text(w.account_ids, a),
            "year": _ints(years[y]),
            "volume_target": volume,
            "revenue_target": revenue_target,
            "spend_commitment": _round_to(revenue_target * w.spend_ratio[a] * rng.uniform(0.8, 1.2, len(a)), 1000),
            "promotions_committed": _ints(rng.integers(2, 7, len(a)) + 6 * big),
            "displays_committed": _ints(rng.integers(1, 4, len(a)) + 3 * big),
        }
    )
