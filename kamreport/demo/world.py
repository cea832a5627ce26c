"""The hidden world: per-account size, growth, rhythm, share of wallet, behaviour."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from kamreport.demo.arrays import _Calendar, _choice, _labels, _normal_quantiles, _person_names
from kamreport.demo.vocabulary import (
    _BIG,
    _COMPETITOR_P,
    _GIVEN_CN,
    _GIVEN_PY,
    _LINES_ELASTICITY,
    _LINES_PER_YEAR,
    _MEDIAN_ANNUAL_REVENUE,
    _MIDDLE,
    _PRODUCT_TREE,
    _REGIONS,
    _SEASON,
    _SIZE_SIGMA,
    _SURNAMES_CN,
    _SURNAMES_PY,
)


@dataclass(frozen=True)
class _Catalog:
    """Products as arrays; the sampling tables for high-margin and standard lines."""

    codes: list[str]
    category_names: list[str]
    subcategory_names: list[str]
    business_group: np.ndarray  # index into _PRODUCT_TREE
    category: np.ndarray  # index into category_names
    subcategory: np.ndarray  # index into subcategory_names
    division: np.ndarray  # index into _DIVISIONS
    price: np.ndarray
    margin: np.ndarray
    high_margin: np.ndarray
    strategic: np.ndarray
    hm_table: np.ndarray  # inverse-CDF lookup tables (popularity-weighted draws)
    std_table: np.ndarray

    def choose(self, rng: np.random.Generator, hm_share: np.ndarray, budget: np.ndarray) -> np.ndarray:
        """One product per line, by popularity.

        ``hm_share`` is the chance a line is a high-margin product; a product whose unit price
        is far above the line's ``budget`` is redrawn (up to three times), so small accounts
        rarely buy a hot-runner system on a small order line.
        """
        product = self._draw(rng, hm_share)
        for _ in range(3):
            redo = np.flatnonzero(rng.random(len(product)) * self.price[product] > 2 * budget)
            if not len(redo):
                break
            product[redo] = self._draw(rng, hm_share[redo])
        return product

    def _draw(self, rng: np.random.Generator, hm_share: np.ndarray) -> np.ndarray:
        pick_hm = rng.random(len(hm_share)) < hm_share
        u = rng.integers(0, len(self.hm_table), len(hm_share))
        return np.where(pick_hm, self.hm_table[u], self.std_table[u])


_DIVISIONS = tuple(dict.fromkeys(v[1] for v in _PRODUCT_TREE.values()))


def _sampling_table(popularity: np.ndarray, mask: np.ndarray, size: int = 1 << 20) -> np.ndarray:
    """Lookup table: ``table[u]`` for a uniform integer ``u`` is a product drawn by popularity."""
    idx = np.flatnonzero(mask)
    cdf = np.cumsum(popularity[idx])
    cdf /= cdf[-1]
    return idx[np.searchsorted(cdf, (np.arange(size) + 0.5) / size)].astype(np.int16)


def _catalog(rng: np.random.Generator) -> _Catalog:
    """5–11 products per subcategory (≈ 220), codes like ``MC04-017``."""
    codes: list[str] = []
    cat_names: list[str] = []
    sub_names: list[str] = []
    bg, cat, sub, price_base, pop_base = [], [], [], [], []
    for g, (code, _div, unit_price, pop, categories) in enumerate(_PRODUCT_TREE.values()):
        n_sub = sum(len(s) for s in categories.values())
        seq = 0
        for category, subcategories in categories.items():
            cat_names.append(category)
            for subcategory in subcategories:
                sub_names.append(subcategory)
                k = int(rng.integers(5, 12))
                codes += [f"{code}{len(sub_names):02d}-{seq + j + 1:03d}" for j in range(k)]
                seq += k
                bg += [g] * k
                cat += [len(cat_names) - 1] * k
                sub += [len(sub_names) - 1] * k
                price_base += [unit_price] * k
                pop_base += [pop / n_sub / k] * k
    n = len(codes)
    bg_a = np.array(bg, dtype=np.int16)
    high_margin = rng.random(n) < np.array([0.15, 0.40, 0.12, 0.80])[bg_a]
    strategic = rng.random(n) < np.where(bg_a == 1, 0.9, 0.28)
    margin = np.where(high_margin, rng.uniform(0.42, 0.60, n), rng.uniform(0.12, 0.32, n))
    price = np.round(np.array(price_base) * rng.lognormal(0.0, 0.6, n), 2)
    popularity = np.array(pop_base) * rng.pareto(1.5, n).clip(0.05, 20) + 1e-9
    # the new lines the company pushes: about half of the less popular ones
    strategic &= popularity < np.median(popularity)
    division = np.array([_DIVISIONS.index(v[1]) for v in _PRODUCT_TREE.values()])[bg_a]
    return _Catalog(
        codes,
        cat_names,
        sub_names,
        bg_a,
        np.array(cat),
        np.array(sub),
        division,
        price,
        margin,
        high_margin,
        strategic,
        _sampling_table(popularity, high_margin),
        _sampling_table(popularity, ~high_margin),
    )


@dataclass(frozen=True)
class _World:
    """Latent per-account facts shared by all tables (index = account number − 1)."""

    cal: _Calendar
    catalog: _Catalog
    n: int
    account_ids: pa.Array  # "A00001" … (take these by account index)
    region: np.ndarray
    owner: np.ndarray
    owners: list[str]
    supports: list[str]
    support_region: np.ndarray
    group: np.ndarray  # −1 when not a group site
    n_groups: int
    size: np.ndarray  # annual revenue level (CNY) at mid-history
    rank: np.ndarray  # 0 = biggest … 1 = smallest
    policy: np.ndarray  # 0 big (≈ tier A), 1 middle (≈ B), 2 small
    growth: np.ndarray
    start_m: np.ndarray  # first trading month
    stop_m: np.ndarray  # first month without trading (n_months when still trading)
    closed: np.ndarray
    lam: np.ndarray  # (accounts × months) expected sales lines
    line_value: np.ndarray
    late_p: np.ndarray  # chance a line falls on day 22+ (NaN: spread evenly)
    hm_share: np.ndarray
    price_factor: np.ndarray
    has_demand: np.ndarray
    share: np.ndarray  # (accounts × quarters) share of wallet
    spend_ratio: np.ndarray
    terms: np.ndarray
    pay_class: np.ndarray  # 0 prompt, 1 slow, 2 bad payer
    fill_bad: np.ndarray  # the few accounts we deliver badly to
    competitor: np.ndarray  # index into _COMPETITORS

    @property
    def likely_key(self) -> np.ndarray:
        """Latent key accounts: big or middle and still trading."""
        likely: np.ndarray = (self.policy < 2) & ~self.closed
        return likely

    def active_months(self) -> np.ndarray:
        m = np.arange(self.cal.n_months)
        return (m >= self.start_m[:, None]) & (m < self.stop_m[:, None])


def _people(rng: np.random.Generator) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """Account managers (4–6 per region) and support reps (1–2 per region)."""
    names = _person_names()[: len(_SURNAMES_PY) * len(_GIVEN_PY) + len(_SURNAMES_CN) * len(_GIVEN_CN)]
    n_owners = rng.integers(4, 7, len(_REGIONS))
    n_support = rng.integers(1, 3, len(_REGIONS))
    picked = rng.choice(len(names), int(n_owners.sum() + n_support.sum()), replace=False)
    owners = [names[i] for i in picked[: n_owners.sum()]]
    supports = [names[i] for i in picked[n_owners.sum() :]]
    return (
        owners,
        np.repeat(np.arange(len(_REGIONS)), n_owners),
        supports,
        np.repeat(np.arange(len(_REGIONS)), n_support),
    )


def _share_paths(rng: np.random.Generator, n: int, n_q: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of wallet per account and quarter, built backwards from the end quarter.

    At the end: ~45 % below 0.40, ~30 % in 0.40–0.70, ~25 % at or above 0.70 (kept ≥ 3 points
    from the boundaries); ~15 % lost more than 5 points against a year before; ~12 % crossed
    a boundary since the quarter before.
    """
    has_demand = rng.random(n) < 0.85
    band = _choice(rng, (0.45, 0.30, 0.25), n)
    lo = np.array([0.06, 0.43, 0.73])[band]
    hi = np.array([0.37, 0.67, 0.94])[band]
    s_end = rng.uniform(lo, hi)
    loser = rng.random(n) < 0.15
    s_py = np.where(loser, s_end + rng.uniform(0.06, 0.18, n), s_end - rng.uniform(-0.04, 0.05, n))
    s_py = s_py.clip(0.03, 0.97)
    s_pq = s_py + 0.75 * (s_end - s_py)
    mover = rng.random(n) < 0.12
    across = np.select(
        [band == 0, band == 2, rng.random(n) < 0.5],
        [rng.uniform(0.41, 0.50, n), rng.uniform(0.58, 0.69, n), rng.uniform(0.71, 0.80, n)],
        rng.uniform(0.30, 0.39, n),
    )
    s_pq = np.where(mover, across, s_pq)
    share = np.empty((n, n_q))
    share[:, -1] = s_end
    if n_q >= 2:
        share[:, -2] = s_pq
    py = n_q - 5
    for q in range(n_q - 3, max(py, -1), -1):  # between PY and PQ: straight line
        share[:, q] = s_py + (s_pq - s_py) * (q - py) / 3
    walk = s_py
    for q in range(min(py, n_q - 3), -1, -1):  # PY and before: a gentle random walk
        share[:, q] = walk
        walk = (walk + rng.normal(0, 0.015, n)).clip(0.03, 0.97)
    return has_demand, share


def _world(rng: np.random.Generator, n: int, cal: _Calendar) -> _World:
    n_m, n_q = cal.n_months, cal.n_quarters
    owners, owner_region, supports, support_region = _people(rng)

    size = np.exp(np.log(_MEDIAN_ANNUAL_REVENUE) + _SIZE_SIGMA * _normal_quantiles(n))[rng.permutation(n)]
    rank = np.empty(n)
    rank[np.argsort(-size, kind="stable")] = np.arange(n) / n
    policy = np.select([rank < _BIG, rank < _MIDDLE], [0, 1], 2).astype(np.int8)

    region = _choice(rng, (0.45, 0.33, 0.22), n).astype(np.int8)
    group, n_groups = _groups(rng, size, region)
    owner = np.empty(n, dtype=np.int16)
    for r in range(len(_REGIONS)):
        mine = np.flatnonzero(owner_region == r)
        here = region == r
        owner[here] = rng.choice(mine, int(here.sum()))

    growth = rng.normal(0.04, 0.18, n).clip(-0.45, 0.80)
    closed = rng.random(n) < 0.03
    new = ~closed & (rng.random(n) < 0.05) & (n_m >= 12)
    start_m = np.where(new, rng.integers(3, max(n_m - 5, 4), n), 0)
    stop_m = np.where(closed, n_m - 3 * rng.integers(2, 5, n), n_m).clip(min(3, n_m), n_m)
    closed &= stop_m < n_m

    lines = _LINES_PER_YEAR * size**_LINES_ELASTICITY / np.mean(size**_LINES_ELASTICITY)
    lines = np.maximum(lines, 4.0)
    month = np.arange(n_m)
    t = (month - (n_m - 1) / 2) / 12
    wobble = np.repeat(rng.lognormal(0.0, 0.12, (n, n_q)), 3, axis=1)
    active = (month >= start_m[:, None]) & (month < stop_m[:, None])
    lam = (lines[:, None] / 12) * _SEASON[month % 12] * (1 + growth[:, None]) ** t * wobble * active

    rhythm = rng.random(n) < 0.22
    late_p = np.where(rhythm, rng.uniform(0.45, 0.72, n), np.nan)
    has_demand, share = _share_paths(rng, n, n_q)

    return _World(
        cal=cal,
        catalog=_catalog(rng),
        n=n,
        account_ids=_labels("A", np.arange(1, n + 1), 5),
        region=region,
        owner=owner,
        owners=owners,
        supports=supports,
        support_region=support_region,
        group=group,
        n_groups=n_groups,
        size=size,
        rank=rank,
        policy=policy,
        growth=growth,
        start_m=start_m,
        stop_m=stop_m,
        closed=closed,
        lam=lam,
        line_value=size / lines,
        late_p=late_p,
        hm_share=rng.beta(2.0, 5.0, n),
        price_factor=rng.uniform(0.88, 1.02, n),
        has_demand=has_demand,
        share=share,
        spend_ratio=rng.uniform(0.01, 0.04, n),
        terms=np.array([30, 45, 60, 90])[_choice(rng, (0.35, 0.25, 0.30, 0.10), n)],
        pay_class=_choice(rng, (0.72, 0.24, 0.04), n).astype(np.int8),
        fill_bad=rng.random(n) < 0.04,
        competitor=_choice(rng, _COMPETITOR_P, n),
    )


def _groups(rng: np.random.Generator, size: np.ndarray, region: np.ndarray) -> tuple[np.ndarray, int]:
    """About one group customer per 60 accounts, 3–8 sites each over ≥ 2 regions (sets ``region``)."""
    n = len(size)
    n_groups = max(1, round(n / 60))
    n_sites = rng.integers(3, 9, n_groups)
    while n_sites.sum() > n // 3:  # tiny datasets: keep groups a minority
        n_sites = np.maximum(n_sites - 1, 2)
        if n_sites.sum() > n // 3 and n_groups > 1:
            n_groups -= 1
            n_sites = n_sites[:n_groups]
    weight = np.sqrt(size)
    sites = rng.choice(n, int(n_sites.sum()), replace=False, p=weight / weight.sum())
    group = np.full(n, -1, dtype=np.int32)
    group[sites] = np.repeat(np.arange(n_groups), n_sites)
    site_region = rng.integers(0, len(_REGIONS), len(sites))
    first = np.concatenate([[0], np.cumsum(n_sites)[:-1]])
    site_region[first] = 0
    site_region[first + 1] = np.where(
        site_region[first + 1] == 0, 1 + rng.integers(0, 2, n_groups), site_region[first + 1]
    )
    region[sites] = site_region
    return group, n_groups
