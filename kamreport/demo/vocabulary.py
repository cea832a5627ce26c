"""Names, places, products and behaviour constants of the synthetic world."""

from __future__ import annotations

from datetime import date

import numpy as np

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
    "objectives",
    "promotions",
    "bids",
)


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
