"""Synthetic demo dataset: every table of DATA_CONTRACT.md, realistic and reproducible.

The generator models a Chinese / international supplier of mold components selling to a
few hundred (or tens of thousands of) customer sites in three regions.  A hidden "world"
of per-account facts (size, growth, sales rhythm, share of wallet, payment and delivery
behaviour ...) is drawn first; every table is then derived from it with its own random
stream, so that the tables agree with each other: demand is consistent with sales, targets
and forecasts follow revenue, receivables are the sales invoices, opportunities name the
account's competitor.

Everything is vectorised with numpy and Arrow; the only Python loops run over months,
quarters, regions, name lists or bad-row kinds, never over sales lines, visits or orders.
Ten million sales lines take about ten seconds and under 3 GB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from statistics import NormalDist
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from kamreport.periods import Quarter

_EPOCH = date(1970, 1, 1)

DEMO_TABLES: tuple[str, ...] = (
    "accounts",
    "sales",
    "products",
    "visits",
    "orders",
    "targets",
    "demand",
    "opportunities",
    "spend",
    "receivables",
    "forecasts",
    "contacts",
    "agreements",
)

# --------------------------------------------------------------------------- vocabulary

_REGIONS = ("East", "South", "North")
_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "East": (
        ("苏州", "Suzhou"),
        ("上海", "Shanghai"),
        ("宁波", "Ningbo"),
        ("杭州", "Hangzhou"),
        ("无锡", "Wuxi"),
        ("昆山", "Kunshan"),
        ("常州", "Changzhou"),
        ("台州", "Taizhou"),
        ("余姚", "Yuyao"),
        ("南京", "Nanjing"),
        ("嘉兴", "Jiaxing"),
    ),
    "South": (
        ("深圳", "Shenzhen"),
        ("东莞", "Dongguan"),
        ("广州", "Guangzhou"),
        ("佛山", "Foshan"),
        ("中山", "Zhongshan"),
        ("惠州", "Huizhou"),
        ("珠海", "Zhuhai"),
        ("厦门", "Xiamen"),
        ("江门", "Jiangmen"),
    ),
    "North": (
        ("天津", "Tianjin"),
        ("北京", "Beijing"),
        ("青岛", "Qingdao"),
        ("沈阳", "Shenyang"),
        ("大连", "Dalian"),
        ("济南", "Jinan"),
        ("烟台", "Yantai"),
        ("长春", "Changchun"),
        ("石家庄", "Shijiazhuang"),
        ("廊坊", "Langfang"),
    ),
}
# segment: (probability, Chinese industry words, English industry words)
_SEGMENTS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "Automotive": (0.26, ("汽车零部件", "汽车模具", "车灯科技"), ("Auto Parts", "Automotive Tooling")),
    "Consumer Electronics": (0.22, ("电子科技", "精密电子", "通讯器材"), ("Electronics", "Precision Electronics")),
    "Home Appliances": (0.18, ("家电配件", "电器", "塑胶制品"), ("Appliance Components", "Home Appliances")),
    "Medical": (0.10, ("医疗器械", "医用塑料"), ("Medical Devices", "Medical Plastics")),
    "Packaging": (0.10, ("包装制品", "瓶盖模具"), ("Packaging", "Closure Molds")),
    "Industrial": (
        0.14,
        ("精密模具", "塑胶模具", "五金制品"),
        ("Precision Tooling", "Plastic Molds", "Metal Stamping"),
    ),
}
_BRAND_CHARS = "恒达华盛鑫宏泰丰瑞通源兴隆昌德利祥和永嘉凯腾博创正佳信诚鼎旭"
_EN_PREFIXES = (
    "Northwind",
    "Bluestone",
    "Redwood",
    "Silverline",
    "Summit",
    "Pacific",
    "Orient",
    "Evergreen",
    "Apex",
    "Harbor",
    "Crescent",
    "Keystone",
    "Pioneer",
    "Sterling",
    "Meridian",
    "Falcon",
    "Lotus",
    "Jade",
    "Phoenix",
    "Great Wall",
    "Horizon",
    "Vertex",
    "Unity",
    "Zenith",
    "Atlas",
    "Nova",
    "Polaris",
    "Titan",
    "Emerald",
    "Golden Bridge",
    "Riverside",
    "Kingfisher",
    "Sunrise",
    "Everbright",
    "Dragon Gate",
    "Lakeside",
    "Trident",
    "Granite",
    "Oakridge",
    "Sapphire",
)
_EN_SUFFIXES = ("", "", " Co., Ltd.", " Ltd.", " Inc.", " GmbH", " Manufacturing")
# valid but awkward names the contract promises to pass through untouched
_TRICKY_NAMES = ("@Home Appliance Parts Co.", "+Plus Precision Molds", "-Zero Defect Tooling (Dongguan)")

_SURNAMES_PY = (
    "Li",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
)
_GIVEN_PY = (
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yang",
    "Yan",
    "Qiang",
    "Hui",
    "Ping",
    "Tao",
    "Ming",
    "Xin",
    "Hao",
    "Yu",
    "Lin",
    "Ting",
    "Chao",
    "Na",
    "Jie",
    "Peng",
    "Hong",
    "Bo",
)
_SURNAMES_CN = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN_CN = (
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "军",
    "洋",
    "艳",
    "强",
    "慧",
    "平",
    "涛",
    "明",
    "欣",
    "浩",
    "宇",
    "琳",
    "婷",
    "超",
    "娜",
    "志强",
    "建华",
    "晓燕",
    "海涛",
    "丽娟",
    "文博",
)
_WESTERN_NAMES = (
    "Anna Müller",
    "David Schmidt",
    "Laura Rossi",
    "Tom Becker",
    "Sarah Klein",
    "Kenji Sato",
    "Yuki Tanaka",
    "Michael Chen",
    "Peter Novak",
    "Julia Weber",
    "Hiroshi Ito",
    "Emily Wong",
)

# competitor: (name, tier)
_COMPETITORS = (
    ("Misumi", "JP"),
    ("Futaba", "JP"),
    ("Punch Industry", "JP"),
    ("Hsin Yuan Precision", "TW"),
    ("Taichung Mold Parts", "TW"),
    ("东莞誉达五金", "local"),
    ("Ningbo Jinhe", "local"),
    ("Dongguan Yida", "local"),
    ("HASCO", "EU"),
    ("Meusburger", "EU"),
    ("Strack Norma", "EU"),
)
_COMPETITOR_P = (0.16, 0.08, 0.06, 0.09, 0.07, 0.12, 0.10, 0.09, 0.10, 0.08, 0.05)

# business group: (code, selling division, base unit price, popularity, {category: subcategories})
_PRODUCT_TREE: dict[str, tuple[str, str, float, float, dict[str, tuple[str, ...]]]] = {
    "Mold Components": (
        "MC",
        "Components",
        28.0,
        0.55,
        {
            "Guiding": ("Guide pillars", "Guide bushes", "Guide rails"),
            "Ejection": ("Ejector pins", "Ejector sleeves", "Ejector blades"),
            "Locating": ("Locating rings", "Taper locks", "Side locks"),
            "Cooling": ("Cooling plugs", "Baffles", "Quick couplings"),
        },
    ),
    "Hot Runner": (
        "HR",
        "Components",
        900.0,
        0.12,
        {
            "Nozzles": ("Single nozzles", "Multi-tip nozzles", "Valve gate nozzles"),
            "Manifolds": ("Standard manifolds", "Custom manifolds"),
            "Controllers": ("Temperature controllers", "Sequence controllers"),
        },
    ),
    "Mold Bases & Plates": (
        "MB",
        "Tooling",
        420.0,
        0.23,
        {
            "Mold bases": ("Standard mold bases", "Custom mold bases"),
            "Plates": ("Clamping plates", "Cavity plates", "Support plates"),
            "Steel": ("Tool steel blocks", "Stainless blocks"),
        },
    ),
    "Services": (
        "SV",
        "Services",
        380.0,
        0.10,
        {
            "Engineering": ("Mold flow analysis", "Design review"),
            "Maintenance": ("Preventive maintenance", "Repair"),
            "Training": ("On-site training",),
        },
    ),
}

_SEASON = np.array([0.82, 0.62, 1.02, 1.00, 1.03, 1.06, 0.97, 0.95, 1.05, 1.08, 1.15, 1.25])
_SEASON = _SEASON / _SEASON.mean()

_CONTACT_ROLES = ("procurement", "user", "design", "management", "other")
_INFLUENCE = ("decision_maker", "influencer", "gatekeeper", "user")
_VISIT_STATUS = ("completed", "cancelled", "missed")
_VISIT_NOTES = (
    "Quarterly business review",
    "Discussed Q-forecast",
    "Price negotiation",
    "New mold project",
    "Sample delivered",
    "Complaint follow-up",
    "Technical support on hot runner",
    "Trial run",
    "送样",
    "新项目评估",
    "价格谈判",
    "交期投诉跟进",
    "年度协议沟通",
    "Met new purchasing manager",
)
_SPEND_TYPES = ("fixed_fee", "promotion", "display", "rebate", "other")
_OPP_STATUS = ("open", "won", "lost")
_BID_TYPES = ("tender", "negotiated", "framework")
_WIN_CURVE_OPEN = np.array([0.25, 0.20, 0.16, 0.13, 0.10, 0.09, 0.07])
_LOST_AT = np.array([0.10, 0.14, 0.14, 0.14, 0.22, 0.16, 0.10])

_MEDIAN_ANNUAL_REVENUE = 30_000.0  # CNY, the median account
_SIZE_SIGMA = 1.70  # log-normal spread of account size (the Pareto knob)
_LINES_PER_YEAR = 180.0  # mean sales lines per account per year
_LINES_ELASTICITY = 0.55  # lines ∝ size ** this (big accounts: more and larger lines)
_ORDERS_PER_LINE = 0.10  # orders per sales line
_BIG, _MIDDLE = 0.05, 0.165  # latent size classes (top 5 %, next ~11 %)


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Calendar:
    """The history: month starts as day numbers (days since 1970-01-01)."""

    quarters: tuple[Quarter, ...]
    month_start: np.ndarray  # int64, n_months + 1 entries (last = first day after history)

    @property
    def n_months(self) -> int:
        return len(self.month_start) - 1

    @property
    def n_quarters(self) -> int:
        return len(self.quarters)

    @property
    def first(self) -> int:
        return int(self.month_start[0])

    @property
    def last(self) -> int:
        return int(self.month_start[-1]) - 1

    @property
    def quarter_start(self) -> np.ndarray:
        return self.month_start[:-1:3]

    @property
    def years(self) -> np.ndarray:
        return np.unique([q.year for q in self.quarters])


def _calendar(end: str, years: int) -> _Calendar:
    last_q = Quarter.parse(end)
    first_q = Quarter(last_q.year - years + 1, 1)
    n_q = (last_q.year - first_q.year) * 4 + last_q.q
    quarters = tuple(first_q.shift(i) for i in range(n_q))
    months = np.arange(
        np.datetime64(f"{first_q.year}-01", "M"), np.datetime64(last_q.next.start.isoformat()[:7], "M") + 1
    )
    return _Calendar(quarters, months.astype("datetime64[D]").astype(np.int64))


def _text(
    labels: Sequence[str] | pa.Array, codes: np.ndarray, missing: np.ndarray | None = None
) -> pd.api.extensions.ExtensionArray:
    """String column: ``labels[codes]`` (NA where ``missing``), built in Arrow without Python objects."""
    dictionary = labels if isinstance(labels, pa.Array) else pa.array(list(labels), type=pa.large_string())
    indices = pa.array(np.asarray(codes, dtype=np.int64), mask=missing)
    return pd.arrays.ArrowStringArray(pc.take(dictionary, indices))


_FOUR_DIGITS = np.array([list(f"{i:04d}".encode()) for i in range(10_000)], dtype=np.uint8)


def _labels(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ids such as ``INV00012345``, written straight into an Arrow buffer.

    ``width`` is a minimum: it grows when a number needs more digits.  Build each id once
    and :func:`_text` (take) it onto rows: much faster than formatting every row.
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    if len(numbers):
        width = max(width, len(str(int(numbers.max()))))
    chunks = -(-width // 4)
    digits = np.empty((len(numbers), 4 * chunks), dtype=np.uint8)
    rest = numbers
    for k in range(chunks - 1, -1, -1):  # four digits at a time, from the right
        rest, four = np.divmod(rest, 10_000)
        digits[:, 4 * k : 4 * k + 4] = _FOUR_DIGITS[four]
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    buf = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :] = digits[:, 4 * chunks - width :]
    del digits
    offsets = np.arange(len(numbers) + 1, dtype=np.int64) * buf.shape[1]
    return pa.Array.from_buffers(pa.large_string(), len(numbers), [None, pa.py_buffer(offsets), pa.py_buffer(buf)])


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pd.api.extensions.ExtensionArray:
    """:func:`_labels` as a pandas string column."""
    return pd.arrays.ArrowStringArray(_labels(prefix, numbers, width))


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Day numbers → ``datetime64[us]`` at midnight (NaT where ``missing``)."""
    out = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[us]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def _ints(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    values = np.asarray(values, dtype=np.int64)
    mask = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.arrays.IntegerArray(values, mask)


def _bools(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.BooleanArray:
    values = np.asarray(values, dtype=bool)
    mask = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.arrays.BooleanArray(values, mask)


def _business_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniformly drawn Monday–Friday day in ``[lo, hi]`` (day numbers) for each element."""
    lo_d = np.asarray(lo, dtype=np.int64).astype("datetime64[D]")
    hi_d = (np.asarray(hi, dtype=np.int64) + 1).astype("datetime64[D]")
    n_days = np.maximum(np.busday_count(lo_d, hi_d), 1)
    offset = (rng.random(len(lo_d)) * n_days).astype(np.int64)
    return np.busday_offset(lo_d, offset, roll="forward").astype(np.int64)


def _cells(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expand a (rows × cols) count matrix into the row and column index of every event."""
    n_cols = counts.shape[1]
    flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
    return (flat // n_cols).astype(np.int32), (flat % n_cols).astype(np.int32)


def _choice(rng: np.random.Generator, p: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """Category indices drawn with probabilities ``p`` (vectorised, int16)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int16)


def _round_to(values: np.ndarray, step: float) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) / step) * step


def _person_names() -> list[str]:
    pinyin = [f"{s} {g}" for s in _SURNAMES_PY for g in _GIVEN_PY]
    chinese = [s + g for s in _SURNAMES_CN for g in _GIVEN_CN]
    return pinyin + chinese + list(_WESTERN_NAMES)


def _normal_quantiles(n: int) -> np.ndarray:
    """Stratified standard-normal quantiles: a heavy tail with no sampling luck."""
    dist = NormalDist()
    return np.array([dist.inv_cdf((i + 0.5) / n) for i in range(n)])


# --------------------------------------------------------------------------- the hidden world


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
    strategic = rng.random(n) < np.where(bg_a == 1, 0.45, 0.14)
    margin = np.where(high_margin, rng.uniform(0.42, 0.60, n), rng.uniform(0.12, 0.32, n))
    price = np.round(np.array(price_base) * rng.lognormal(0.0, 0.6, n), 2)
    popularity = np.array(pop_base) * rng.pareto(1.5, n).clip(0.05, 20) + 1e-9
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
        return (self.policy < 2) & ~self.closed

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


# --------------------------------------------------------------------------- tables


def _company_names(rng: np.random.Generator, w: _World, segment: np.ndarray) -> list[str]:
    """Half Chinese (``苏州恒达精密模具有限公司 (Suzhou)``), half English; group sites share a brand.

    Components are drawn per account; a name already taken is redrawn with a salt, and
    numbered only when the vocabulary runs out (hundreds of thousands of accounts).
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
    seen: set[str] = set()
    for i in range(n):
        salt, name = 0, names[i]
        while name in seen:
            salt += 1
            name = one(i, salt) if salt < 30 else f"{names[i]} No.{salt}"
        seen.add(name)
        names[i] = name
    return names


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
    return pd.DataFrame(
        {
            "account_id": pd.arrays.ArrowStringArray(w.account_ids),
            "account_name": pd.array(_company_names(rng, w, segment), dtype="string"),
            "region": _text(_REGIONS, w.region),
            "owner": _text(w.owners, w.owner),
            "group_id": _text(
                [f"G{g + 1:0{group_width}d}" for g in range(w.n_groups)], np.maximum(w.group, 0), w.group < 0
            ),
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
        return self.revenue.reshape(a, m // 3, 3).sum(axis=2)


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
    close = first + (rng.random(n) * (last_trade - first + 1)).astype(np.int64)
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


# --------------------------------------------------------------------------- messy rows


@dataclass(frozen=True)
class _Bad:
    """One kind of bad row: a clean row copied with ``column`` set to one of ``values``.

    ``column=None`` is an exact duplicate; ``same_key`` keeps the copied row's key (for the
    duplicate (order_id, line_no) case); ``once`` allows at most one such row per table.
    """

    column: str | None
    values: tuple[str, ...] = ()
    once: bool = False
    same_key: bool = False


_DUPLICATE = _Bad(None)
_UNKNOWN_ACCOUNT = _Bad("account_id", ("ZZ999",))
_EMPTY_ACCOUNT = _Bad("account_id", ("",), once=True)
_BAD_DATES = ("31/02/2026", "n/a")
_BAD_NUMBERS = ("12,3.4", "abc")
_BAD_ROWS: dict[str, tuple[_Bad, ...]] = {
    "accounts": (
        _Bad("potential_monthly", ("-25000",)),
        _Bad("status", ("pending",)),
        _EMPTY_ACCOUNT,
        _Bad("credit_limit", _BAD_NUMBERS),
        _Bad("decision_style", ("democratic",)),
        _Bad("payment_terms_days", ("abc", "-30")),
    ),
    "sales": (_Bad("date", _BAD_DATES), _Bad("revenue", _BAD_NUMBERS), _UNKNOWN_ACCOUNT, _EMPTY_ACCOUNT, _DUPLICATE),
    "products": (_Bad("product_code", ("",), once=True), _Bad("high_margin", ("maybe",))),
    "visits": (
        _Bad("date", _BAD_DATES),
        _Bad("status", ("pending",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _Bad("promotions", ("-1",)),
        _DUPLICATE,
    ),
    "orders": (
        _Bad("order_date", _BAD_DATES),
        _Bad("qty_ordered", ("-5", "abc")),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
        _Bad("qty_delivered", (), same_key=True),
    ),
    "targets": (
        _Bad("revenue_target", ("-1000", "abc")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "demand": (
        _Bad("total_demand", ("abc", "-500")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "opportunities": (
        _Bad("stage", ("9",)),
        _Bad("status", ("pending",)),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
    ),
    "spend": (
        _Bad("spend_type", ("bribe",)),
        _Bad("date", _BAD_DATES),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "receivables": (
        _Bad("invoice_date", _BAD_DATES),
        _Bad("amount", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "forecasts": (
        _Bad("forecast_revenue", ("-100", "abc")),
        _Bad("period", ("2026Q5",)),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
    "contacts": (_Bad("strength", ("7",)), _Bad("role", ("intern",)), _UNKNOWN_ACCOUNT, _EMPTY_ACCOUNT, _DUPLICATE),
    "agreements": (
        _Bad("year", ("abc",)),
        _Bad("revenue_target", _BAD_NUMBERS),
        _UNKNOWN_ACCOUNT,
        _EMPTY_ACCOUNT,
        _DUPLICATE,
    ),
}
# key column of a table and the prefix of fresh keys for bad copies (never a duplicate key)
_FRESH_KEYS = {
    "accounts": ("account_id", "A"),
    "opportunities": ("opportunity_id", "O"),
    "orders": ("order_id", "SO"),
    "receivables": ("invoice_id", "INV"),
    "products": ("product_code", "ZZ-"),
}


def _column_text(col: pd.Series) -> pa.Array:
    """One column as text the way a CSV export writes it: ISO dates, plain numbers, true/false."""
    if isinstance(col.dtype, pd.StringDtype):
        return pa.array(col.array, type=pa.large_string())
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return pc.cast(pa.array(col.to_numpy(), from_pandas=True).cast(pa.date32()), pa.large_string())
    # floats: shortest round-trip decimals ("1234.5", "-3"); ints; booleans as true/false
    return pc.cast(pa.array(col.array, from_pandas=True), pa.large_string())


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as pandas ``string``, as in a CSV export (see :func:`_column_text`)."""
    return pd.DataFrame({name: pd.arrays.ArrowStringArray(_column_text(col)) for name, col in frame.items()})


def _plan_bad_rows(kinds: tuple[_Bad, ...], n: int) -> list[_Bad]:
    """About 1 % of ``n``: every kind in turn while 3 % allows, never more than 3 %."""
    cap = int(0.03 * n)
    want = min(cap, max(round(0.01 * n), min(len(kinds), cap)))
    plan: list[_Bad] = []
    while len(plan) < want:
        fits = [k for k in kinds if not (k.once and k in plan)][: want - len(plan)]
        if not fits:
            break
        plan += fits
    return plan


def _next_keys(column: pd.Series, prefix: str, count: int) -> pd.api.extensions.ExtensionArray:
    """``count`` keys after the largest ``prefix``+digits key of ``column`` (never a duplicate)."""
    top = pc.max(pa.array(column.dropna().array)).as_py() or ""
    digits = top[len(prefix) :] if top.startswith(prefix) and top[len(prefix) :].isdigit() else ""
    start = int(digits) + 1 if digits else 1
    return _ids(prefix, np.arange(start, start + count), max(len(digits), 3))


def _bad_rows(rng: np.random.Generator, table: str, clean: pd.DataFrame) -> pd.DataFrame:
    """Text copies of random clean rows, each spoilt in one way (see ``_BAD_ROWS``)."""
    plan = _plan_bad_rows(_BAD_ROWS[table], len(clean))
    bad = _as_text(clean.take(rng.choice(len(clean), len(plan), replace=False))).reset_index(drop=True)
    key_col, prefix = _FRESH_KEYS.get(table, (None, ""))
    kind_of = np.array([_BAD_ROWS[table].index(k) for k in plan], dtype=np.int64)
    fresh = np.zeros(len(plan), dtype=bool)
    for k, kind in enumerate(_BAD_ROWS[table]):
        rows = np.flatnonzero(kind_of == k)
        if kind.column is None or not len(rows):
            continue
        if kind.same_key:  # same (order_id, line_no), different value
            changed = pd.to_numeric(bad.loc[rows, kind.column]).to_numpy() + 1
            bad.loc[rows, kind.column] = pc.cast(pa.array(changed), pa.large_string()).to_pylist()
            continue
        bad.loc[rows, kind.column] = [kind.values[j % len(kind.values)] for j in range(len(rows))]
        fresh[rows] = key_col is not None and kind.column != key_col
    if key_col is not None and fresh.any():
        bad.loc[fresh, key_col] = _next_keys(clean[key_col], prefix, int(fresh.sum()))
    if table == "accounts":  # account names stay distinct
        suffix = pd.array([f" (site {i + 1})" for i in range(len(bad))], dtype="string")
        bad["account_name"] = bad["account_name"] + suffix
    return bad


def _make_messy(rng: np.random.Generator, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Turn every table of ``tables`` into text with bad rows scattered among the clean ones.

    Works in place, one column at a time (so that the clean and the text copy of only one
    column exist at once); returns ``{table: bad rows added}``.
    """
    expected = {}
    for table in list(tables):
        clean = tables.pop(table)
        bad = _bad_rows(rng, table, clean)
        n = len(clean)
        # clean rows keep their order; bad rows land at random places among them
        order = pa.array(
            np.argsort(np.concatenate([np.arange(n, dtype=float), rng.uniform(0, n, len(bad))]), kind="stable")
        )
        columns = {}
        for name in list(clean.columns):  # column by column: one text column in memory at a time
            text = pa.chunked_array([_column_text(clean.pop(name)), _column_text(bad[name])])
            columns[name] = pd.arrays.ArrowStringArray(text.take(order).combine_chunks())
        tables[table] = pd.DataFrame(columns)
        expected[table] = len(bad)
    return expected


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, comma, header; quotes only when some value holds a comma, quote or line break."""
    table = pa.table({name: _column_text(col) for name, col in frame.items()})
    special = any(pc.any(pc.match_substring_regex(table[name], '[,"\r\n]')).as_py() for name in table.column_names)
    with open(path, "wb") as out:
        out.write((",".join(table.column_names) + "\n").encode("utf-8"))  # canonical names: no quotes
        pa_csv.write_csv(
            table, out, pa_csv.WriteOptions(include_header=False, quoting_style="needed" if special else "none")
        )


# --------------------------------------------------------------------------- public API


def generate_demo(
    n_accounts: int = 600, years: int = 3, seed: int = 7, end: str = "2026Q3", messy: bool = False
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic demo dataset: every table of DATA_CONTRACT.md.

    Parameters
    ----------
    n_accounts : int
        Number of customer sites (rows of ``accounts``), at least 20.  Sales lines scale
        linearly: about 180 per account and year (≈ 300,000 for the defaults).
    years : int
        Calendar years of history, ending with ``end``: the history runs from January 1st
        of ``end.year − years + 1`` to the last day of ``end``.
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives identical frames.
    end : str
        The last quarter of the history, ``YYYYQn``.
    messy : bool
        When true, add ~1 % (never more than 3 %) realistic bad rows to every table —
        unparseable dates and numbers, out-of-range values, unknown enum values, unknown or
        empty account ids, exact duplicates, duplicate (order_id, line_no) — scattered among
        the unchanged clean rows.  Every column of every table is then text (pandas
        ``string``), as in a CSV export, and the result has an extra key
        ``"_expected_rejects"``: ``{table: number of bad rows added}``.

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``{table: frame}`` for every name in :data:`DEMO_TABLES`, with the canonical
        columns.  Clean dtypes: text ``string``, dates ``datetime64[us]`` at midnight,
        floats ``float64``, ints ``Int64``, bools ``boolean``; missing values are NA.

    Raises
    ------
    ValueError
        If ``n_accounts`` < 20, ``years`` < 1 or ``end`` is not a quarter.
    """
    if n_accounts < 20:
        raise ValueError(f"n_accounts must be at least 20, got {n_accounts}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    cal = _calendar(end, years)
    names = ("world", "messy", *DEMO_TABLES)
    streams = dict(zip(names, np.random.default_rng(seed).spawn(len(names)), strict=True))
    w = _world(streams["world"], n_accounts, cal)
    sales, facts = _sales(streams["sales"], w)
    rev_q = facts.quarterly()
    tables = {
        "accounts": _accounts(streams["accounts"], w),
        "sales": sales,
        "products": _products(w),
        "visits": _visits(streams["visits"], w),
        "orders": _orders(streams["orders"], w),
        "targets": _targets(streams["targets"], w, rev_q),
        "demand": _demand(streams["demand"], w, rev_q),
        "opportunities": _opportunities(streams["opportunities"], w, facts.revenue.sum(axis=1) > 0),
        "spend": _spend(streams["spend"], w, facts.revenue),
        "receivables": _receivables(streams["receivables"], w, facts),
        "forecasts": _forecasts(streams["forecasts"], w, rev_q),
        "contacts": _contacts(streams["contacts"], w),
        "agreements": _agreements(streams["agreements"], w, facts),
    }
    if not messy:
        return tables
    result: dict[str, Any] = tables
    result["_expected_rejects"] = _make_messy(streams["messy"], tables)
    return cast(dict[str, pd.DataFrame], result)


def write_demo(
    directory: str | Path,
    n_accounts: int = 600,
    years: int = 3,
    seed: int = 7,
    end: str = "2026Q3",
    messy: bool = False,
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate the demo dataset and write one file per table.

    Parameters
    ----------
    directory : str or pathlib.Path
        Target directory; created (with parents) when missing.
    n_accounts, years, seed, end, messy
        As for :func:`generate_demo`.
    fmt : {"parquet", "csv"}
        ``parquet`` writes ``<table>.parquet`` with the frame's dtypes; ``csv`` writes
        ``<table>.csv`` (UTF-8, comma, header) with ISO dates, plain numbers and
        ``true``/``false``, missing values as empty cells.

    Returns
    -------
    dict[str, pathlib.Path]
        ``{table: path written}`` for every table of :data:`DEMO_TABLES`.

    Raises
    ------
    ValueError
        If ``fmt`` is neither ``"parquet"`` nor ``"csv"``.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    tables = generate_demo(n_accounts=n_accounts, years=years, seed=seed, end=end, messy=messy)
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for table in DEMO_TABLES:
        path = out_dir / f"{table}.{fmt}"
        if fmt == "parquet":
            tables[table].to_parquet(path, index=False)
        else:
            _write_csv(tables[table], path)
        paths[table] = path
    return paths


def write_demo_params(
    path: str | Path,
    data_dir: str | Path,
    output_dir: str | Path,
    fmt: str = "parquet",
    tables: Sequence[str] = DEMO_TABLES,
    **values: Any,
) -> Path:
    """A params file naming the demo tables in ``data_dir`` (as written by :func:`write_demo`).

    ``values`` are further top-level keys (``render``, ``validation`` …) merged in.  Paths are
    written absolute, so the file works wherever it is moved.
    """
    import yaml

    doc: dict[str, Any] = {
        "period": "2026Q3",
        "output_dir": str(Path(output_dir).resolve()),
        "data": {"base_dir": str(Path(data_dir).resolve()), "tables": {t: {"path": f"{t}.{fmt}"} for t in tables}},
        "report": {"company_name": "Demo Precision Components", "currency": "¥"},
        **values,
    }
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
