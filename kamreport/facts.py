"""The aggregate stage: one DuckDB pass from validated lines to account × month facts.

This is the only code that reads raw lines.  Everything downstream — KPIs at every level,
planning, charts, account plans — works on these small frames, so a report job never
touches millions of rows.  Each fact frame is keyed by ``account_id`` and a ``month``
(``YYYY-MM``) or ``quarter`` (``YYYYQn``).

A table or column the company does not have is recorded in :attr:`Facts.present`, so the
KPIs over it come out *missing* rather than zero (docs/kpis.md, "Missing, never zero").  Two
frames carry what validation decided about accounts into the results: ``merged`` (the
accounts merged away by ``data.merge``) and ``region_spread`` (revenue that accounts
derived from sales bought outside the region they were put in).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamreport.data.customers import MERGED_COLUMNS
from kamreport.data.derived import SPREAD_COLUMNS
from kamreport.data.schema import Tables, release_arrow_memory, to_arrow
from kamreport.data.validate import Validated
from kamreport.files import write_parquet
from kamreport.params import KpiParams, RunParams
from kamreport.periods import Quarter
from kamreport.registry import RATIO_TARGETS

_MONTH_LABEL = "strftime(_t, '%Y-%m') AS month"
_QUARTER_LABEL = "CAST(year(_t) AS VARCHAR) || 'Q' || CAST(quarter(_t) AS VARCHAR) AS quarter"
# Receivables aging: KPI id → days past due at the quarter's last day (first, last), both inclusive.
AGING_BUCKETS: dict[str, tuple[int, int | None]] = {
    "ar_aging_0_30": (1, 30),
    "ar_aging_31_60": (31, 60),
    "ar_aging_61_90": (61, 90),
    "ar_aging_over_90": (91, None),
}
FRAME_FIELDS = (
    "accounts",
    "sales_month",
    "sales_week",
    "sales_mix",
    "sales_division",
    "visits",
    "visits_role",
    "visit_log",
    "orders_month",
    "targets",
    "kpi_targets",
    "demand",
    "forecasts",
    "forecast_levels",
    "spend_month",
    "promo_leads",
    "receivables",
    "opportunities",
    "contacts",
    "agreements",
    "objectives",
    "promotions",
    "bids",
    "merged",
    "region_spread",
)


@dataclass
class Facts:
    """Every fact frame (see the module docstring) and which inputs the company has."""

    accounts: pd.DataFrame
    sales_month: pd.DataFrame
    sales_week: pd.DataFrame
    sales_mix: pd.DataFrame
    sales_division: pd.DataFrame
    visits: pd.DataFrame
    visits_role: pd.DataFrame
    visit_log: pd.DataFrame
    orders_month: pd.DataFrame
    targets: pd.DataFrame
    kpi_targets: pd.DataFrame
    demand: pd.DataFrame
    forecasts: pd.DataFrame
    forecast_levels: pd.DataFrame
    spend_month: pd.DataFrame
    promo_leads: pd.DataFrame
    receivables: pd.DataFrame
    opportunities: pd.DataFrame
    contacts: pd.DataFrame
    agreements: pd.DataFrame
    objectives: pd.DataFrame
    promotions: pd.DataFrame
    bids: pd.DataFrame
    present: dict[str, list[str]] = field(default_factory=dict)
    as_of: str | None = None
    merged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MERGED_COLUMNS))
    region_spread: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SPREAD_COLUMNS))
    _positions: dict[int, tuple[pd.DataFrame, dict[str, np.ndarray]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def positions(self, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        """account_id → row positions in ``frame`` (one of these facts), computed once per frame.

        A report selects one account's rows from frames of millions of rows hundreds of
        times; a boolean mask per selection would scan the whole frame each time.
        """
        cached = self._positions.get(id(frame))
        if cached is None or cached[0] is not frame:
            groups = frame.groupby("account_id", sort=False, observed=True).indices
            cached = (frame, {str(k): np.asarray(v) for k, v in groups.items()})
            self._positions[id(frame)] = cached
        return cached[1]

    def has(self, table: str, column: str | None = None) -> bool:
        """Whether the company supplied ``table`` (and, if given, its ``column``)."""
        if table not in self.present:
            return False
        return column is None or column in self.present[table]

    def save(self, folder: Path) -> None:
        """Write every frame as Parquet plus the metadata, into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in FRAME_FIELDS:
            write_parquet(getattr(self, name), folder / f"{name}.parquet")
        meta = pd.DataFrame({"table": list(self.present), "columns": ["|".join(c) for c in self.present.values()]})
        meta.to_parquet(folder / "_present.parquet", index=False)
        (folder / "_as_of.txt").write_text(self.as_of or "", encoding="utf-8")

    @staticmethod
    def saved_meta(folder: Path) -> tuple[dict[str, list[str]], str | None]:
        """What :meth:`save` wrote beside the frames: ``present`` (table → columns) and ``as_of``.

        The frames themselves are read when used (``run.store.StoredFacts``).
        """
        meta = pd.read_parquet(folder / "_present.parquet")
        present = {t: (c.split("|") if c else []) for t, c in zip(meta["table"], meta["columns"], strict=True)}
        return present, (folder / "_as_of.txt").read_text(encoding="utf-8") or None


@dataclass(frozen=True)
class _Options:
    """What shapes the aggregation besides the tables."""

    high_margin: str  # SQL predicate over a sales line: is its product high-margin?
    strategic: str  # … a strategic product?
    last_week_first_day: int
    log_quarters: int


def build_run_facts(validated: Validated, params: RunParams, consume: bool = False) -> Facts:
    """The facts of a run: its validated tables aggregated, with the accounts merged and the region spread.

    ``data_as_of`` (:attr:`Facts.as_of`) never passes the end of the run's period.  With
    ``consume``, the sales lines are dropped from ``validated.tables`` as soon as their facts
    are made (see :func:`build_facts`): the run does not need them again.
    """
    facts = build_facts(
        validated.tables, validated.present, params.kpi, as_of_limit=params.quarter.end, consume=consume
    )
    facts.merged = validated.merged
    facts.region_spread = validated.region_spread
    return facts


def build_facts(
    tables: Mapping[str, pd.DataFrame],
    present: dict[str, list[str]] | None = None,
    kpi: KpiParams | None = None,
    as_of_limit: date | None = None,
    consume: bool = False,
) -> Facts:
    """Aggregate the validated tables into :class:`Facts` with DuckDB.

    Parameters
    ----------
    tables
        Validated tables in canonical columns (every contract column present): a
        :class:`~kamreport.data.schema.Tables` (DuckDB scans its Arrow tables directly) or
        pandas frames.
    present
        Per table, the columns the source really had (default: every column of each frame);
        a KPI over a column the company does not supply is missing, not zero.
    kpi
        The run's ``kpi`` params (default: their defaults): ``last_week_first_day`` starts the
        month's last week, and visit rows of the last ``trend_quarters`` are kept (for account
        plans' visit history).
    as_of_limit
        The latest ``as_of`` date (the run's period end): lines dated later (a quarter run
        again after the next one began) do not make the data look newer than the period.
    consume
        Drop the sales lines from ``tables`` (a :class:`~kamreport.data.schema.Tables`) once
        the facts made from them are done, and give their memory back: at ten million lines
        they are the largest table, and the other facts are built without them.
    """
    arrow = {name: tables.arrow(name) if isinstance(tables, Tables) else to_arrow(tables[name]) for name in tables}
    if present is None:
        present = {name: list(table.column_names) for name, table in arrow.items()}
    kpi = KpiParams() if kpi is None else kpi
    con = duckdb.connect()
    try:
        for name, table in arrow.items():
            con.register(name, table)  # Arrow, not pandas: DuckDB scans Arrow zero-copy and in parallel
        con.sql(EXACT_SUM)
        run = _Runner(con, arrow)
        options = _Options(
            high_margin=(
                "product_code IN (SELECT product_code FROM products WHERE high_margin)"
                if "products" in tables
                else "false"
            ),
            strategic=(
                "product_code IN (SELECT product_code FROM products WHERE strategic)"
                if "products" in tables
                else "false"
            ),
            last_week_first_day=kpi.last_week_first_day,
            log_quarters=kpi.trend_quarters,
        )
        if "sales" in arrow:
            _register_coded_sales(con, arrow["sales"], options, with_products="products" in arrow)
        con.sql("CREATE TEMP TABLE sales_end AS SELECT max(date) AS date FROM sales")
        as_of_value = con.sql("SELECT date FROM sales_end").fetchall()[0][0]
        if as_of_value is not None and as_of_limit is not None:
            as_of_value = min(pd.Timestamp(as_of_value), pd.Timestamp(as_of_limit))
        aggregated = {name: build(run, options) for name, build in _AGGREGATES.items() if name in _FROM_SALES}
        if consume and isinstance(tables, Tables):
            for name in ("sales_coded", "sales"):
                con.unregister(name)
            del arrow["sales"]
            tables.drop("sales")
            release_arrow_memory()
        aggregated |= {name: build(run, options) for name, build in _AGGREGATES.items() if name not in _FROM_SALES}
        aggregated["forecasts"] = _account_forecasts(aggregated["forecast_levels"])
        facts = Facts(
            accounts=tables["accounts"].copy(),
            **aggregated,
            receivables=_receivables(run),
            opportunities=_copy(tables, "opportunities"),
            contacts=_copy(tables, "contacts"),
            agreements=_copy(tables, "agreements"),
            objectives=_copy(tables, "objectives"),
            present={name: list(columns) for name, columns in present.items()},
            as_of=str(pd.Timestamp(as_of_value).date()) if as_of_value is not None else None,
        )
    finally:
        con.close()
    return facts


# Every money and quantity total is an exact decimal sum.  DuckDB adds a float column in
# parallel, each thread a part, and the parts in whatever order the threads finish: the last
# bits of a total then differ from run to run (one action sentence read ¥184,461 in one run
# and ¥184,460 in the next).  A decimal sum is exact, so it is the same in every order.  Each
# value counts to EXACT_PLACES decimal places (a microgram, counted in tonnes); 38 digits
# hold totals below 10^26 (validation.max_abs_number keeps each value far below).
EXACT_PLACES = 12
EXACT_SUM = f"CREATE TEMP MACRO exact_sum(x) AS CAST(sum(CAST(x AS DECIMAL(38, {EXACT_PLACES}))) AS DOUBLE)"


def _copy(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A master table carried into the facts as it is (empty when the company has none)."""
    return tables[name].copy() if name in tables else pd.DataFrame()


def _register_coded_sales(con: duckdb.DuckDBPyConnection, sales: pa.Table, o: _Options, with_products: bool) -> None:
    """Register the sales lines keyed by integer codes, with their products' attributes, for the sales facts.

    ``sales_coded`` holds the lines with ``_acc`` (the account) as an ``int32`` code instead
    of text, and per line what the sales facts read of its product: ``_high_margin`` and
    ``_strategic`` (missing for a line without a product code) and ``_mix``, the code of its
    product's (business_group, category) in ``sales_mixes`` (with products only).
    ``sales_accounts`` (``_acc``, ``account_id``) and ``sales_products`` (``_prod``,
    ``product_code``) give the text back.  Ten million lines group faster on an integer than on
    text, and a product's attributes are looked up once per product code (then taken per
    line by Arrow) rather than joined line by line in each query.  The account codes follow
    the ids' sort order (byte order, as DuckDB sorts text), so ordering by ``_acc`` orders by
    ``account_id``; a missing id has a missing code.
    """
    account, accounts = _sorted_codes(sales.column("account_id"))
    product, products = _sorted_codes(sales.column("product_code"))
    con.register("sales_accounts", _code_table("_acc", "account_id", accounts))
    con.register("sales_products", _code_table("_prod", "product_code", products))
    joined = "sales_products LEFT JOIN products USING (product_code)" if with_products else "sales_products"
    per_product = con.sql(
        f"SELECT {o.high_margin} AS _high_margin, {o.strategic} AS _strategic FROM {joined} ORDER BY _prod"
    ).to_arrow_table()
    columns = {
        "_acc": account,
        "date": sales.column("date"),
        "revenue": sales.column("revenue"),
        "quantity": sales.column("quantity"),
        "cost": sales.column("cost"),
        "division": sales.column("division"),
        "_high_margin": pc.take(per_product.column("_high_margin"), product),
        "_strategic": pc.take(per_product.column("_strategic"), product),
    }
    if with_products:
        columns["_mix"] = _mix_codes(con, joined, product)
    con.register("sales_coded", pa.table(columns))


def _mix_codes(con: duckdb.DuckDBPyConnection, joined: str, product: pa.ChunkedArray) -> pa.ChunkedArray:
    """Per line, the code of its product's (business_group, category) in ``sales_mixes``, which it registers.

    A line without a product code, or whose code is not in products, has the code of the
    pair (missing, missing), as the join of the lines with products gives it.
    """
    mixes = con.sql(
        f"""
        SELECT CAST(row_number() OVER (ORDER BY business_group, category) - 1 AS INTEGER) AS _mix,
               business_group, category
        FROM (SELECT business_group, category FROM ({joined}) UNION SELECT NULL, NULL)
        """
    ).to_arrow_table()
    con.register("sales_mixes", mixes)
    per_product = con.sql(
        f"""
        SELECT m._mix FROM ({joined}) p
        JOIN sales_mixes m ON m.business_group IS NOT DISTINCT FROM p.business_group
                          AND m.category IS NOT DISTINCT FROM p.category
        ORDER BY p._prod
        """
    ).to_arrow_table()
    blank = con.sql("SELECT _mix FROM sales_mixes WHERE business_group IS NULL AND category IS NULL").fetchall()[0][0]
    return pc.fill_null(pc.take(per_product.column("_mix"), product), pa.scalar(blank, pa.int32()))


def _sorted_codes(values: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.Array]:
    """Per value, the position of its value among the distinct values sorted (``int32``); and those values."""
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)
    chunks = values.unify_dictionaries().chunks if values.num_chunks else []
    if not chunks:
        return pa.chunked_array([], type=pa.int32()), pa.array([], type=values.type.value_type)
    dictionary = chunks[0].dictionary
    order = pc.sort_indices(dictionary)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order.to_numpy()] = np.arange(len(order), dtype=np.int32)
    ranks = pa.array(rank)
    codes = pa.chunked_array([pc.take(ranks, c.indices) for c in chunks], type=pa.int32())
    return codes, pc.take(dictionary, order)


def _code_table(code: str, name: str, values: pa.Array) -> pa.Table:
    """``values`` numbered from 0 in column ``code`` (the codes of :func:`_sorted_codes`), the text in ``name``."""
    return pa.table({code: pa.array(np.arange(len(values), dtype=np.int32)), name: values})


def _sales_month(run: _Runner, o: _Options) -> pd.DataFrame:
    """Revenue, quantity, cost, high-margin and last-week revenue per account and month.

    Each line's revenue is made a decimal once (``_rev``) for the five revenue totals, rather
    than once per total (the same sums: ``exact_sum`` of a decimal casts nothing).
    """
    return run.by_account(
        f"""
        SELECT _acc, date_trunc('month', date) AS _t,
               exact_sum(_rev) AS revenue,
               exact_sum(quantity) AS quantity,
               exact_sum(cost) AS cost,
               exact_sum(CASE WHEN cost IS NOT NULL THEN _rev END) AS revenue_cost_known,
               count(cost) AS lines_cost_known,
               exact_sum(CASE WHEN _high_margin THEN _rev ELSE 0 END) AS high_margin_revenue,
               exact_sum(CASE WHEN _strategic THEN _rev ELSE 0 END) AS strategic_revenue,
               count(*) FILTER (WHERE revenue > 0 AND _strategic) AS strategic_lines,
               exact_sum(CASE WHEN day(date) >= {o.last_week_first_day} THEN _rev ELSE 0 END) AS last_week_revenue,
               count(*) AS lines
        FROM (SELECT *, CAST(revenue AS DECIMAL(38, {EXACT_PLACES})) AS _rev FROM sales_coded) GROUP BY ALL
        """,
        labels=f"{_MONTH_LABEL}, {_QUARTER_LABEL}",
        order="g._t",
    )


def _sales_week(run: _Runner, o: _Options) -> pd.DataFrame:
    """Revenue per account, month and week of the month; week 4 is the last week, from ``kpi.last_week_first_day``."""
    return run.by_account(
        f"""
        SELECT _acc, date_trunc('month', date) AS _t,
               CASE WHEN day(date) >= {o.last_week_first_day} THEN 4
                    ELSE least((day(date) - 1) // 7 + 1, 3) END AS week_of_month,
               exact_sum(revenue) AS revenue
        FROM sales_coded GROUP BY ALL
        """,
        labels=f"{_MONTH_LABEL}, {_QUARTER_LABEL}",
        order="g._t, week_of_month",
    )


def _sales_mix(run: _Runner, o: _Options) -> pd.DataFrame:
    """Revenue per account, quarter, business group and category (needs products)."""
    return run.by_account(
        """
        SELECT g._acc, g._t, m.business_group, m.category, g.revenue
        FROM (SELECT _acc, date_trunc('quarter', date) AS _t, _mix, exact_sum(revenue) AS revenue
              FROM sales_coded GROUP BY ALL) g
        JOIN sales_mixes m USING (_mix)
        """,
        labels=_QUARTER_LABEL,
        order="g._t, business_group, category",
        needs=("products",),
    )


def _sales_division(run: _Runner, o: _Options) -> pd.DataFrame:
    """Revenue per account, quarter and selling division."""
    return run.by_account(
        """
        SELECT _acc, date_trunc('quarter', date) AS _t, division, exact_sum(revenue) AS revenue
        FROM sales_coded WHERE division IS NOT NULL GROUP BY ALL
        """,
        labels=_QUARTER_LABEL,
        order="g._t, division",
    )


def _visits(run: _Runner, o: _Options) -> pd.DataFrame:
    """Visits per account, quarter and rep: planned, completed, successful, promotions and displays."""
    return run.by_quarter(
        """
        SELECT account_id, date_trunc('quarter', date) AS _t, rep,
               count(*) AS visits,
               count(*) FILTER (WHERE planned) AS planned,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE planned AND status = 'completed') AS planned_completed,
               count(*) FILTER (WHERE status = 'completed' AND successful) AS successful,
               count(*) FILTER (WHERE status = 'completed' AND successful IS NOT NULL) AS success_known,
               CAST(coalesce(sum(promotions) FILTER (WHERE status = 'completed'), 0) AS DOUBLE) AS promotions,
               CAST(coalesce(sum(displays) FILTER (WHERE status = 'completed'), 0) AS DOUBLE) AS displays
        FROM visits GROUP BY ALL
        """,
        order="account_id, quarter, rep",
        needs=("visits",),
    )


def _visits_role(run: _Runner, o: _Options) -> pd.DataFrame:
    """Completed visits per account, quarter and contact role."""
    return run.by_quarter(
        """
        SELECT account_id, date_trunc('quarter', date) AS _t, contact_role,
               count(*) FILTER (WHERE status = 'completed') AS completed
        FROM visits WHERE contact_role IS NOT NULL GROUP BY ALL
        """,
        order="account_id, quarter, contact_role",
        needs=("visits",),
    )


def _visit_log(run: _Runner, o: _Options) -> pd.DataFrame:
    """The visit rows of the last ``log_quarters`` quarters (the plans' visit history).

    Ordered by account and date, visits of one account on one day in their source order: the
    query keeps the scan's order (DuckDB preserves insertion order) and pandas sorts stably,
    where DuckDB's ORDER BY would order such ties differently from run to run.
    """
    log = run(
        f"""
        SELECT date, account_id, rep, planned, status, successful, contact_role, promotions, displays, notes
        FROM visits
        WHERE date > (SELECT date FROM sales_end) - INTERVAL {o.log_quarters * 3} MONTH
        """,
        needs=("visits",),
    )
    if log.empty:
        return log
    return log.sort_values(["account_id", "date"], kind="stable", ignore_index=True)


def _orders_month(run: _Runner, o: _Options) -> pd.DataFrame:
    """Order lines, quantities ordered and filled, and on-time-in-full lines per account and month."""
    return run.by_month(
        """
        SELECT account_id, date_trunc('month', order_date) AS _t,
               count(*) AS lines,
               exact_sum(qty_ordered) AS qty_ordered,
               exact_sum(least(qty_delivered, qty_ordered)) AS qty_filled,
               count(*) FILTER (WHERE requested_date IS NOT NULL) AS lines_requested,
               count(*) FILTER (WHERE requested_date IS NOT NULL AND qty_delivered >= qty_ordered
                                AND delivered_date <= requested_date) AS lines_otif
        FROM orders GROUP BY ALL
        """,
        order="account_id, month",
        needs=("orders",),
    )


# A targets / demand period (YYYYQn or YYYY-MM) as its quarter.
_PERIOD_QUARTER = """CASE WHEN period LIKE '%Q%' THEN period
                    ELSE substr(period, 1, 4) || 'Q' || CAST((CAST(substr(period, 6, 2) AS INTEGER) + 2) // 3
                         AS VARCHAR) END"""


def _targets(run: _Runner, o: _Options) -> pd.DataFrame:
    """Revenue targets per account and quarter (monthly targets keep their month)."""
    return run(
        f"""
        SELECT account_id,
               {_PERIOD_QUARTER} AS quarter,
               CASE WHEN period LIKE '%Q%' THEN NULL ELSE period END AS month,
               exact_sum(revenue_target) AS revenue_target
        FROM targets GROUP BY ALL ORDER BY account_id, quarter, month
        """,
        needs=("targets",),
    )


def _kpi_targets(run: _Runner, o: _Options) -> pd.DataFrame:
    """Targets of the ratio KPIs per account and quarter: the mean of the quarter's rows that give one."""
    # Ordered, so each mean adds its values in the same order on every run (see exact_sum).
    averages = ", ".join(f"avg({kpi}_target ORDER BY {kpi}_target) AS {kpi}_target" for kpi in RATIO_TARGETS)
    return run(
        f"SELECT account_id, {_PERIOD_QUARTER} AS quarter, {averages} FROM targets GROUP BY ALL ORDER BY ALL",
        needs=("targets",),
    )


def _demand(run: _Runner, o: _Options) -> pd.DataFrame:
    """The customer's total demand per account and quarter."""
    return run(
        """
        SELECT account_id, period AS quarter, exact_sum(total_demand) AS demand
        FROM demand GROUP BY ALL ORDER BY account_id, quarter
        """,
        needs=("demand",),
    )


def _forecast_levels(run: _Runner, o: _Options) -> pd.DataFrame:
    """The forecast of each quarter, level, key and category: the rows of its latest version, summed.

    The key is the account_id at account level, the owner or region at those levels and
    ``all`` for the company; rows without a version count only where no row of theirs has one.
    """
    return run(
        """
        WITH levelled AS (  -- the contract's defaults, for frames that did not pass validation
            SELECT *, coalesce(level, 'account') AS lvl, coalesce(category, 'commit') AS cat FROM forecasts
        ), keyed AS (
            SELECT period AS quarter, lvl AS level, cat AS category, version, forecast_revenue,
                   CASE lvl WHEN 'account' THEN account_id WHEN 'company' THEN 'all' ELSE key END AS key
            FROM levelled
        ), ranked AS (
            SELECT *, max(version) OVER (PARTITION BY quarter, level, key, category) AS latest FROM keyed
        )
        SELECT quarter, level, key, category, exact_sum(forecast_revenue) AS forecast
        FROM ranked WHERE latest IS NULL OR version = latest
        GROUP BY ALL ORDER BY quarter, level, key, category
        """,
        needs=("forecasts",),
    )


def _account_forecasts(levels: pd.DataFrame) -> pd.DataFrame:
    """Each account's committed forecast per quarter (account_id, quarter, forecast): what accuracy is judged on."""
    if levels.empty:
        return pd.DataFrame()
    rows = levels[(levels["level"] == "account") & (levels["category"] == "commit")]
    frame = rows.rename(columns={"key": "account_id"})[["account_id", "quarter", "forecast"]]
    return frame.sort_values(["account_id", "quarter"], ignore_index=True)


def _spend_month(run: _Runner, o: _Options) -> pd.DataFrame:
    """Trade spend per account, month and spend type."""
    return run.by_month(
        """
        SELECT account_id, date_trunc('month', date) AS _t, spend_type, exact_sum(amount) AS amount, count(*) AS items
        FROM spend GROUP BY ALL
        """,
        order="account_id, month, spend_type",
        needs=("spend",),
    )


def _promo_leads(run: _Runner, o: _Options) -> pd.DataFrame:
    """Promotions run per account and quarter, by lead time in days (missing when a date is).

    A promotion run is a spend record of type ``promotion``; it belongs to the quarter of its
    ``start_date`` (of its booking ``date`` when no start is given).
    """
    return run.by_quarter(
        """
        SELECT account_id, date_trunc('quarter', coalesce(start_date, date)) AS _t,
               CAST(date_diff('day', submitted_date, start_date) AS DOUBLE) AS lead_days, count(*) AS n
        FROM spend WHERE spend_type = 'promotion' GROUP BY ALL
        """,
        order="account_id, quarter, lead_days",
        needs=("spend",),
    )


def _promotions(run: _Runner, o: _Options) -> pd.DataFrame:
    """The promotion plan, each promotion with what actually happened between its start and end.

    ``actual_volume`` is the account's quantity sold from ``start`` to ``end`` (both
    included), ``actual_spend`` the cost of the account's promotion runs (spend of type
    ``promotion``) starting in that window, ``lead_days`` the days from ``submitted`` to
    ``start``.  Sales are summed per account and day first, for the promoted accounts only.
    """
    spend = (
        """
        LEFT JOIN (
            SELECT p.promo_id, exact_sum(s.amount) AS actual_spend
            FROM promotions p JOIN spend s ON s.account_id = p.account_id AND s.spend_type = 'promotion'
                 AND coalesce(s.start_date, s.date) BETWEEN p.start AND p."end"
            GROUP BY ALL
        ) USING (promo_id)
        """
        if "spend" in run.tables
        else ""
    )
    return run(
        f"""
        WITH daily AS (
            SELECT a.account_id, d.day, d.quantity
            FROM (SELECT _acc, CAST(date AS DATE) AS day, exact_sum(quantity) AS quantity FROM sales_coded
                  WHERE _acc IN (SELECT _acc FROM sales_accounts
                                 WHERE account_id IN (SELECT account_id FROM promotions))
                    AND date BETWEEN (SELECT min(start) FROM promotions) AND (SELECT max("end") FROM promotions)
                  GROUP BY ALL) d
            JOIN sales_accounts a USING (_acc)
        ), volume AS (
            SELECT p.promo_id, exact_sum(d.quantity) AS actual_volume
            FROM promotions p JOIN daily d ON d.account_id = p.account_id AND d.day BETWEEN p.start AND p."end"
            GROUP BY ALL
        )
        SELECT promotions.*, CAST(date_diff('day', submitted, start) AS DOUBLE) AS lead_days,
               volume.actual_volume{", actual_spend" if spend else ", CAST(NULL AS DOUBLE) AS actual_spend"}
        FROM promotions LEFT JOIN volume USING (promo_id) {spend}
        ORDER BY account_id, start, promo_id
        """,
        needs=("promotions",),
    )


def _bids(run: _Runner, o: _Options) -> pd.DataFrame:
    """The bid register, each bid with its opportunity's account, owner and amount."""
    return run(
        """
        SELECT b.*, o.account_id, o.owner, o.amount, o.status AS opportunity_status
        FROM bids b JOIN opportunities o USING (opportunity_id)
        ORDER BY account_id, submitted, opportunity_id
        """,
        needs=("bids", "opportunities"),
    )


_AGGREGATES: dict[str, Callable[[_Runner, _Options], pd.DataFrame]] = {
    "sales_month": _sales_month,
    "sales_week": _sales_week,
    "sales_mix": _sales_mix,
    "sales_division": _sales_division,
    "visits": _visits,
    "visits_role": _visits_role,
    "visit_log": _visit_log,
    "orders_month": _orders_month,
    "targets": _targets,
    "kpi_targets": _kpi_targets,
    "demand": _demand,
    "forecast_levels": _forecast_levels,
    "promotions": _promotions,
    "bids": _bids,
    "spend_month": _spend_month,
    "promo_leads": _promo_leads,
}


# The facts that read the sales lines (all but the latest date, kept in the table sales_end).
_FROM_SALES = ("sales_month", "sales_week", "sales_mix", "sales_division", "promotions")


class _Runner:
    """Runs one aggregation; a query over a table the company lacks gives an empty frame.

    Lines are grouped by a truncated date (``_t``) and labelled ``YYYY-MM`` / ``YYYYQn``
    only after aggregating: building a label string per line costs more than the rest of
    the query on ten million lines.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> None:
        self.con = con
        self.tables = tables

    def __call__(self, sql: str, needs: tuple[str, ...] = ()) -> pd.DataFrame:
        if any(t not in self.tables for t in needs):
            return pd.DataFrame()
        frame: pd.DataFrame = self.con.sql(sql).to_arrow_table().to_pandas()
        return frame

    def by_month(self, sql: str, order: str, needs: tuple[str, ...] = ()) -> pd.DataFrame:
        """``sql`` grouped by ``_t`` (a month start), labelled with ``month`` and ``quarter``."""
        return self(f"SELECT * EXCLUDE (_t), {_MONTH_LABEL}, {_QUARTER_LABEL} FROM ({sql}) ORDER BY {order}", needs)

    def by_quarter(self, sql: str, order: str, needs: tuple[str, ...] = ()) -> pd.DataFrame:
        """``sql`` grouped by ``_t`` (a quarter start), labelled with ``quarter``."""
        return self(f"SELECT * EXCLUDE (_t), {_QUARTER_LABEL} FROM ({sql}) ORDER BY {order}", needs)

    def by_account(self, sql: str, labels: str, order: str, needs: tuple[str, ...] = ()) -> pd.DataFrame:
        """``sql`` over ``sales_coded`` grouped by ``_acc`` and ``_t``: the account's id first, then ``labels``.

        Rows are ordered by account, then ``order`` (over the grouped rows ``g``: ``g._t``
        orders as its month or quarter label does, without sorting text).
        """
        return self(
            f"""
            SELECT a.account_id, g.* EXCLUDE (_acc, _t), {labels}
            FROM ({sql}) g LEFT JOIN sales_accounts a ON a._acc = g._acc
            ORDER BY g._acc, {order}
            """,
            needs=("sales", *needs),
        )


def _receivables(run: _Runner) -> pd.DataFrame:
    """Open receivables at the end of every quarter from the first invoice to the last, by days past due.

    Days past due = the quarter's last day − ``due_date``: not yet due (≤ 0), then 1–30,
    31–60, 61–90 and over 90 days; the four overdue buckets sum to ``ar_overdue``.
    """
    if "receivables" not in run.tables or run.tables["receivables"].num_rows == 0:
        return pd.DataFrame()
    bounds = run.con.sql(
        "SELECT min(invoice_date), greatest(max(invoice_date), (SELECT date FROM sales_end)) FROM receivables"
    ).fetchall()[0]
    first = Quarter.of(pd.Timestamp(bounds[0]))
    last = Quarter.of(pd.Timestamp(bounds[1]))
    ends = []
    q = first
    while q <= last:
        ends.append(f"({_quarter_index(q)}, '{q}', DATE '{q.end.isoformat()}')")
        q = q.next
    past_due = "date_diff('day', CAST(due_date AS DATE), day)"
    buckets = ",\n".join(
        f"exact_sum(CASE WHEN {past_due} >= {lo}"
        + (f" AND {past_due} <= {hi}" if hi is not None else "")
        + f" THEN amount ELSE 0 END) AS {name}"
        for name, (lo, hi) in AGING_BUCKETS.items()
    )
    # An invoice can be open only at the ends of the quarters from its invoice date's to its
    # paid date's: each is listed once per such quarter (an equality join, one pass over the
    # invoices), then the exact as-of test keeps the ends where it really was open.
    index = "(year({0}) * 4 + quarter({0}) - 1)"
    first_k, last_k = _quarter_index(first), _quarter_index(last)
    return run(
        f"""
        WITH ends(_k, quarter, day) AS (VALUES {", ".join(ends)}),
        spans AS (
            SELECT account_id, amount, invoice_date, due_date, paid_date,
                   unnest(generate_series(greatest({index.format("invoice_date")}, {first_k}),
                                          least(coalesce({index.format("paid_date")}, {last_k}), {last_k}))) AS _k
            FROM receivables
        )
        SELECT account_id, quarter,
               exact_sum(amount) AS ar_open,
               exact_sum(CASE WHEN due_date < day THEN amount ELSE 0 END) AS ar_overdue,
               exact_sum(CASE WHEN due_date >= day THEN amount ELSE 0 END) AS ar_not_due,
               {buckets}
        FROM spans JOIN ends USING (_k)
        WHERE invoice_date <= day AND (paid_date IS NULL OR paid_date > day)
        GROUP BY ALL ORDER BY account_id, quarter
        """
    )


def _quarter_index(q: Quarter) -> int:
    """Quarters counted from year 0 (``year * 4 + q - 1``), as the receivables query numbers them."""
    return q.year * 4 + q.q - 1
