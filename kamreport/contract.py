"""The data contract as a declaration: tables, columns and their checks — the single source of truth.

``docs/data-contract.md`` in code.  Pure declarations (no pandas), so the params (which
check table names) and the data layer both build on it: the reader
(:mod:`kamreport.data.sources`) parses columns by their ``kind``, the validator builds a
pandera schema from the same specs (:func:`kamreport.data.schema.schema`), and the
reference documents list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict, Unpack

Kind = Literal["str", "date", "float", "int", "bool", "enum", "period", "quarter"]

# No figure a company exports is this large (ten trillion): a number beyond it is a broken
# cell (1e308, an overflow) and its row is set aside.  The default of
# ``validation.max_abs_number``.
MAX_ABS_NUMBER = 1e13

ROLES = ("procurement", "user", "design", "management", "other")
SPEND_TYPES = ("fixed_fee", "promotion", "display", "rebate", "other")
FORECAST_LEVELS = ("account", "owner", "region", "company")
FORECAST_CATEGORIES = ("commit", "best_case", "pipeline")
OBJECTIVE_STATUSES = ("open", "done", "dropped")
PROMOTION_STATUSES = ("planned", "approved", "cancelled")
TENDER_MODES = ("open_tender", "rounds", "negotiation")
BID_CONTROL = ("over_80", "60_80", "30_60", "under_30", "unknown")
BID_IMPACT = ("high", "medium", "low")
BID_RESULTS = ("won", "lost", "open")
QUESTIONS = tuple(f"q{i:02d}" for i in range(1, 21))


@dataclass(frozen=True)
class Column:
    """One canonical column: its type, whether the table needs it, and its range."""

    name: str
    kind: Kind
    required: bool = False
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    values: tuple[str, ...] = ()
    default: str | None = None
    doc: str = ""
    event: bool = False  # a date something happened on: limited to a plausible window (validation.min_date …)
    # required only on rows whose column ``[0]`` is one of ``[1]`` (after its default is applied)
    required_when: tuple[str, tuple[str, ...]] | None = None

    @property
    def type_label(self) -> str:
        """How the reference documents the type."""
        if self.kind == "enum":
            return "enum " + " / ".join(self.values)
        if self.kind == "period":
            return "period YYYYQn or YYYY-MM"
        if self.kind == "quarter":
            return "period YYYYQn"
        if self.kind == "date":
            return "date (event)" if self.event else "date"
        bounds = []
        if self.ge is not None:
            bounds.append(f"≥ {self.ge:g}")
        if self.gt is not None:
            bounds.append(f"> {self.gt:g}")
        if self.le is not None:
            bounds.append(f"≤ {self.le:g}")
        return " ".join([self.kind, *bounds])


@dataclass(frozen=True)
class Table:
    """One table of the contract."""

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = ()
    key_fatal: bool = False
    needs_accounts: bool = True
    master: bool = False  # a bad optional field is blanked and noted; the row stays
    doc: str = ""
    # (earlier, later): where both dates are given, ``earlier`` must not be after ``later``
    ordered: tuple[tuple[str, str], ...] = ()
    # (table, column): every row's ``column`` must name a row of that table (which the table needs)
    refers: tuple[str, str] | None = None
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def names(self) -> list[str]:
        """Canonical column names in contract order."""
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        """Columns the table cannot do without."""
        return [c.name for c in self.columns if c.required]

    @property
    def conditional(self) -> list[Column]:
        """Columns required only on some rows (:attr:`Column.required_when`)."""
        return [c for c in self.columns if c.required_when is not None]

    @property
    def event_dates(self) -> list[str]:
        """Date columns of things that happened (not planned dates such as ``due_date``)."""
        return [c.name for c in self.columns if c.event]


class _Options(TypedDict, total=False):
    """The optional fields of :class:`Column` the declarations below set by keyword."""

    ge: float
    gt: float
    le: float
    values: tuple[str, ...]
    default: str
    doc: str
    required_when: tuple[str, tuple[str, ...]]


def _c(name: str, kind: Kind, required: bool = False, **kw: Unpack[_Options]) -> Column:
    return Column(name, kind, required, **kw)


def _event(name: str, required: bool = False, **kw: Unpack[_Options]) -> Column:
    return Column(name, "date", required, event=True, **kw)


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "accounts",
            (
                _c("account_id", "str", True, doc="unique; the key every other table uses"),
                _c("account_name", "str", True),
                _c("region", "str", True),
                _c("owner", "str", True, doc="responsible account manager"),
                _c("group_id", "str", doc="parent group for group customers"),
                _c("group_name", "str", doc="the group's name, shown instead of its id where a group is named"),
                _c("segment", "str"),
                _c("status", "enum", values=("active", "closed"), default="active"),
                _c("potential_monthly", "float", ge=0),
                _c("competitor", "str"),
                _c("competitor_tier", "str"),
                _c("decision_style", "enum", values=("authoritative", "consultative", "advisory")),
                _c("credit_limit", "float", ge=0),
                _c("payment_terms_days", "int", ge=0),
            ),
            required=True,
            key=("account_id",),
            key_fatal=True,
            needs_accounts=False,
            master=True,
            doc="one row per customer site",
        ),
        Table(
            "sales",
            (
                _event("date", True),
                _c("account_id", "str", True),
                _c("revenue", "float", True, doc="net; negative for returns"),
                _c("quantity", "float"),
                _c("cost", "float"),
                _c("product_code", "str"),
                _c("division", "str"),
                _c("invoice_id", "str"),
            ),
            required=True,
            doc="invoice lines",
        ),
        Table(
            "products",
            (
                _c("product_code", "str", True),
                _c("business_group", "str"),
                _c("category", "str"),
                _c("subcategory", "str"),
                _c("high_margin", "bool"),
                _c("strategic", "bool"),
            ),
            key=("product_code",),
            needs_accounts=False,
            master=True,
            doc="the four-level analysis code",
        ),
        Table(
            "visits",
            (
                _event("date", True),
                _c("account_id", "str", True),
                _c("rep", "str", True),
                _c("planned", "bool", True),
                _c("status", "enum", True, values=("completed", "cancelled", "missed")),
                _c("successful", "bool"),
                _c("promotions", "int", ge=0),
                _c("displays", "int", ge=0),
                _c("contact_role", "enum", values=ROLES),
                _c("notes", "str"),
            ),
            doc="the field visit log",
        ),
        Table(
            "orders",
            (
                _c("order_id", "str", True),
                _c("account_id", "str", True),
                _event("order_date", True),
                _c("qty_ordered", "float", True, gt=0),
                _c("qty_delivered", "float", True, ge=0),
                _c("requested_date", "date"),
                _event("delivered_date"),
                _c("product_code", "str"),
                _c("line_no", "int"),
            ),
            key=("order_id", "line_no"),
            doc="order lines, for fill rate",
        ),
        Table(
            "targets",
            (
                _c("period", "period", True),
                _c("account_id", "str", True),
                _c("revenue_target", "float", True, ge=0),
                _c("share_of_wallet_target", "float", ge=0, le=1, doc="target share of the customer's demand"),
                _c("gross_margin_target", "float", le=1, doc="target gross margin"),
                _c("fill_rate_target", "float", ge=0, le=1, doc="target order fill rate"),
                _c("frequency_attainment_target", "float", ge=0, le=1, doc="target visit frequency attainment"),
            ),
            doc="revenue targets by quarter or month, and optionally targets of four ratio KPIs",
        ),
        Table(
            "demand",
            (
                _c("period", "quarter", True),
                _c("account_id", "str", True),
                _c("total_demand", "float", True, ge=0),
                _c("source", "str"),
            ),
            doc="the customer's total category purchases (share-of-wallet denominator)",
        ),
        Table(
            "opportunities",
            (
                _c("opportunity_id", "str", True),
                _c("account_id", "str", True),
                _c("owner", "str", True, doc="the single primary owner"),
                _c("stage", "int", True, ge=1, le=8),
                _c("amount", "float", True, ge=0),
                _c("status", "enum", True, values=("open", "won", "lost")),
                _c("expected_close", "date"),
                _c("close_date", "date"),
                _c("created", "date"),
                *(_c(q, "bool") for q in QUESTIONS),
                _c("competitor", "str"),
                _c("bid_type", "str"),
            ),
            key=("opportunity_id",),
            key_fatal=True,
            doc="sales opportunities with the 20 value-score answers",
        ),
        Table(
            "spend",
            (
                _event("date", True),
                _c("account_id", "str", True),
                _c("amount", "float", True),
                _c("spend_type", "enum", True, values=SPEND_TYPES),
                _event("submitted_date"),
                _c("start_date", "date"),
            ),
            doc="trade spend and promotions",
        ),
        Table(
            "receivables",
            (
                _c("invoice_id", "str", True),
                _c("account_id", "str", True),
                _event("invoice_date", True),
                _c("amount", "float", True),
                _c("due_date", "date", True),
                _event("paid_date", doc="empty while open"),
            ),
            doc="open and paid invoices",
        ),
        Table(
            "forecasts",
            (
                _c("period", "quarter", True),
                _c(
                    "account_id",
                    "str",
                    required_when=("level", ("account",)),
                    doc="required on account-level rows (the default level)",
                ),
                _c("forecast_revenue", "float", True, ge=0),
                _c("owner", "str"),
                _c(
                    "level",
                    "enum",
                    values=FORECAST_LEVELS,
                    default="account",
                    doc="who the forecast is for: an account, or an owner's, a region's or the company's total",
                ),
                _c(
                    "key",
                    "str",
                    required_when=("level", ("owner", "region")),
                    doc="the owner or region of an owner- or region-level row",
                ),
                _c("submitted_by", "str", doc="who submitted the figure"),
                _event("version", doc="when it was submitted: the latest version per level, key and category counts"),
                _c("category", "enum", values=FORECAST_CATEGORIES, default="commit"),
            ),
            doc="revenue forecasts by quarter, submitted up the hierarchy (account → owner → region → company)",
        ),
        Table(
            "contacts",
            (
                _c("account_id", "str", True),
                _c("name", "str", True),
                _c("role", "enum", True, values=ROLES),
                _c("influence", "enum", values=("decision_maker", "influencer", "gatekeeper", "user")),
                _c("strength", "int", ge=1, le=5),
            ),
            doc="the decision-making unit (DMU)",
        ),
        Table(
            "agreements",
            (
                _c("account_id", "str", True),
                _c("year", "int", True),
                _c("volume_target", "float"),
                _c("revenue_target", "float"),
                _c("spend_commitment", "float"),
                _c("promotions_committed", "int"),
                _c("displays_committed", "int"),
            ),
            doc="annual agreements",
        ),
        Table(
            "objectives",
            (
                _c("account_id", "str", True),
                _c("objective", "str", True, doc="what is to be achieved, one sentence"),
                _c("owner", "str", True, doc="who is responsible (ours, or the customer's for a customer commitment)"),
                _c("due", "date", True, doc="when it is due"),
                _c("status", "enum", values=OBJECTIVE_STATUSES, default="open"),
                _c("completion", "float", ge=0, le=1, doc="how far it is done, 0–1"),
                _c("party", "enum", values=("us", "customer"), default="us", doc="who committed to it"),
                _c("quarter", "quarter", doc="the quarter it was set in"),
            ),
            doc="the account plan's objectives, carried from quarter to quarter (kamreport new-quarter drafts them)",
        ),
        Table(
            "promotions",
            (
                _c("account_id", "str", True),
                _c("promo_id", "str", True),
                _c("start", "date", True, doc="first day of the promotion"),
                _c("end", "date", True, doc="last day of the promotion"),
                _event("submitted", doc="the day the plan was sent to the customer"),
                _c("planned_spend", "float", ge=0),
                _c("planned_volume", "float", ge=0),
                _c("status", "enum", values=PROMOTION_STATUSES, default="planned"),
            ),
            key=("promo_id",),
            ordered=(("start", "end"), ("submitted", "end")),
            doc="the rolling promotion plan agreed with the customer (forward-looking)",
        ),
        Table(
            "bids",
            (
                _c("opportunity_id", "str", True),
                _event("submitted", True),
                _c(
                    "tender_mode",
                    "enum",
                    values=TENDER_MODES,
                    doc="an open tender with one price, several rounds, or a negotiation",
                ),
                _c("quote_rounds", "int", ge=1),
                _c("first_quote", "float", ge=0),
                _c("final_quote", "float", ge=0),
                _c("competitor_brands", "str"),
                _c(
                    "control",
                    "enum",
                    values=BID_CONTROL,
                    default="unknown",
                    doc="our degree of control of the decision: over 80 %, 60–80 %, 30–60 %, under 30 %",
                ),
                _c("impact", "enum", values=BID_IMPACT),
                _c("result", "enum", values=BID_RESULTS, default="open"),
                _event("decided"),
            ),
            needs_accounts=False,
            ordered=(("submitted", "decided"),),
            refers=("opportunities", "opportunity_id"),
            doc="the bid register: one row per bid on an opportunity (amount and close date stay there)",
        ),
    ]
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

# The optional merge table (``data.merge``): accounts that are one customer under several
# ids.  Read like the other tables, but params rather than data: a bad row stops the run.
MERGE = Table(
    "merge",
    (
        _c("account_id", "str", True, doc="the id to merge away"),
        _c("into", "str", True, doc="the id whose name, region and owner the merged account takes"),
    ),
    key=("account_id",),
    key_fatal=True,
    needs_accounts=False,
    doc="accounts to merge (data.merge)",
)


DTYPES: dict[str, str] = {
    "str": "string",
    "enum": "string",
    "period": "string",
    "quarter": "string",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
    "date": "datetime64[us]",
}


RECIPIENTS = Table(
    "recipients",
    (
        _c("name", "str", True, doc="shown in the To line and the greeting"),
        _c("email", "str", True, doc="the address the pack goes to"),
        _c("scope", "str", True, doc="company, region:<region>, owner:<account manager> or group:<group_id>"),
        _c("language", "enum", values=("en", "zh"), doc="subject and body language; default the run's language"),
        _c("cc", "str", doc="addresses copied, separated by ; or ,"),
    ),
    needs_accounts=False,
    doc="who gets which pack by e-mail; outside the results and the reject limit",
)
