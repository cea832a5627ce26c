"""The synthetic demo dataset: contract shape, realism the reports rely on, messy rows, files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamreport.demo import DEMO_TABLES, generate_demo, write_demo

END = "2026Q3"
FIRST_DAY, LAST_DAY = pd.Timestamp("2024-01-01"), pd.Timestamp("2026-09-30")

# docs/data-contract.md, written out here so that the test checks the generator against the
# document rather than against itself
CONTRACT: dict[str, list[str]] = {
    "accounts": [
        "account_id",
        "account_name",
        "region",
        "owner",
        "group_id",
        "group_name",
        "segment",
        "status",
        "potential_monthly",
        "competitor",
        "competitor_tier",
        "decision_style",
        "credit_limit",
        "payment_terms_days",
    ],
    "sales": ["date", "account_id", "revenue", "quantity", "cost", "product_code", "division", "invoice_id"],
    "products": ["product_code", "business_group", "category", "subcategory", "high_margin", "strategic"],
    "visits": [
        "date",
        "account_id",
        "rep",
        "planned",
        "status",
        "successful",
        "promotions",
        "displays",
        "contact_role",
        "notes",
    ],
    "orders": [
        "order_id",
        "account_id",
        "order_date",
        "qty_ordered",
        "qty_delivered",
        "requested_date",
        "delivered_date",
        "product_code",
        "line_no",
    ],
    "targets": ["period", "account_id", "revenue_target"],
    "demand": ["period", "account_id", "total_demand", "source"],
    "opportunities": [
        "opportunity_id",
        "account_id",
        "owner",
        "stage",
        "amount",
        "status",
        "expected_close",
        "close_date",
        "created",
        *[f"q{i:02d}" for i in range(1, 21)],
        "competitor",
        "bid_type",
    ],
    "spend": ["date", "account_id", "amount", "spend_type", "submitted_date", "start_date"],
    "receivables": ["invoice_id", "account_id", "invoice_date", "amount", "due_date", "paid_date"],
    "forecasts": [
        "period",
        "account_id",
        "forecast_revenue",
        "owner",
        "level",
        "key",
        "submitted_by",
        "version",
        "category",
    ],
    "contacts": ["account_id", "name", "role", "influence", "strength"],
    "agreements": [
        "account_id",
        "year",
        "volume_target",
        "revenue_target",
        "spend_commitment",
        "promotions_committed",
        "displays_committed",
    ],
    "objectives": ["account_id", "objective", "owner", "due", "status", "completion", "party", "quarter"],
    "promotions": [
        "account_id",
        "promo_id",
        "start",
        "end",
        "submitted",
        "planned_spend",
        "planned_volume",
        "status",
    ],
    "bids": [
        "opportunity_id",
        "submitted",
        "tender_mode",
        "quote_rounds",
        "first_quote",
        "final_quote",
        "competitor_brands",
        "control",
        "impact",
        "result",
        "decided",
    ],
}
INTS = {
    "payment_terms_days",
    "promotions",
    "displays",
    "line_no",
    "stage",
    "strength",
    "year",
    "promotions_committed",
    "displays_committed",
    "quote_rounds",
}
BOOLS = {"high_margin", "strategic", "planned", "successful", *[f"q{i:02d}" for i in range(1, 21)]}
FLOATS = {
    "potential_monthly",
    "credit_limit",
    "revenue",
    "quantity",
    "cost",
    "qty_ordered",
    "qty_delivered",
    "revenue_target",
    "total_demand",
    "amount",
    "forecast_revenue",
    "volume_target",
    "spend_commitment",
    "completion",
    "planned_spend",
    "planned_volume",
    "first_quote",
    "final_quote",
}
DATES = {
    "date",
    "order_date",
    "requested_date",
    "delivered_date",
    "expected_close",
    "close_date",
    "created",
    "submitted_date",
    "start_date",
    "invoice_date",
    "due_date",
    "paid_date",
    "version",
    "due",
    "start",
    "end",
    "submitted",
    "decided",
}


@pytest.fixture(scope="module")
def default() -> dict[str, pd.DataFrame]:
    return generate_demo()


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate_demo(n_accounts=120)


@pytest.fixture(scope="module")
def messy() -> dict[str, pd.DataFrame]:
    return generate_demo(n_accounts=120, messy=True)


def quarter(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("Q").astype(str)


def quarterly_revenue(sales: pd.DataFrame) -> pd.Series:
    return sales.groupby(["account_id", quarter(sales["date"])])["revenue"].sum()


def shares(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of wallet per account (rows) and quarter (columns), as docs/kpis.md "Share of wallet" computes it."""
    demand = tables["demand"].set_index(["account_id", "period"])["total_demand"]
    revenue = quarterly_revenue(tables["sales"]).rename_axis(["account_id", "period"])
    return (revenue.reindex(demand.index).fillna(0) / demand).unstack()


def key_accounts(tables: dict[str, pd.DataFrame], last_day: str = "2026-09-30") -> set[str]:
    """Tier A or B by the 5 % / 20 % model (docs/kpis.md "Tiers") over the year to ``last_day``."""
    sales = tables["sales"]
    end = pd.Timestamp(last_day)
    window = (sales["date"] > end - pd.DateOffset(years=1)) & (sales["date"] <= end)
    t4q = sales[window].groupby("account_id")["revenue"].sum()
    t4q = t4q[t4q > 0].reset_index().sort_values(["revenue", "account_id"], ascending=[False, True])
    before = t4q["revenue"].cumsum().shift(fill_value=0) / t4q["revenue"].sum()
    return set(t4q.loc[before < 0.75, "account_id"])


# --------------------------------------------------------------------------- shape


def test_every_table_and_column_of_the_contract(small):
    assert tuple(CONTRACT) == DEMO_TABLES
    assert set(small) == set(DEMO_TABLES)
    for table, columns in CONTRACT.items():
        assert list(small[table].columns) == columns, table
        assert len(small[table]) > 0, table


def test_clean_dtypes(small):
    for table, frame in small.items():
        for name, dtype in frame.dtypes.items():
            if name in INTS:
                assert dtype == "Int64", (table, name, dtype)
            elif name in BOOLS:
                assert dtype == "boolean", (table, name, dtype)
            elif name in FLOATS:
                assert dtype == "float64", (table, name, dtype)
            elif name in DATES:
                assert pd.api.types.is_datetime64_any_dtype(dtype), (table, name, dtype)
                values = frame[name].dropna()
                assert (values == values.dt.normalize()).all(), (table, name, "has a time of day")
            else:
                assert dtype == "string", (table, name, dtype)


def test_same_seed_same_frames_other_seed_other_frames():
    first, again = generate_demo(n_accounts=60, seed=3), generate_demo(n_accounts=60, seed=3)
    for table in DEMO_TABLES:
        pd.testing.assert_frame_equal(first[table], again[table], check_exact=True)
    other = generate_demo(n_accounts=60, seed=4)
    assert not first["sales"]["revenue"].equals(other["sales"]["revenue"])


def test_dates_stay_in_the_history_except_planned_future(small):
    future_ok = {
        ("opportunities", "expected_close"),
        ("receivables", "due_date"),
        ("objectives", "due"),  # planned: the objectives due in the next two quarters
        ("promotions", "start"),  # the promotion plan of the next three months
        ("promotions", "end"),
    }
    for table, frame in small.items():
        for name in DATES & set(frame.columns):
            values = frame[name].dropna()
            assert values.min() >= FIRST_DAY, (table, name)
            if (table, name) not in future_ok:
                assert values.max() <= LAST_DAY, (table, name)
    expected = small["opportunities"]["expected_close"]
    assert expected.max() <= pd.Timestamp("2027-03-31")  # at most two quarters ahead
    assert "2026Q4" not in set(small["targets"]["period"])  # no targets for the quarter after END
    assert small["targets"]["period"].nunique() == 11
    assert set(small["agreements"]["year"]) <= {2024, 2025, 2026}


def test_every_account_id_exists_and_product_codes_join(small):
    accounts = set(small["accounts"]["account_id"])
    assert small["accounts"]["account_id"].is_unique
    for table in DEMO_TABLES:
        if table not in ("accounts", "products", "bids"):
            assert set(small[table]["account_id"].dropna()) <= accounts, table
    assert set(small["bids"]["opportunity_id"]) <= set(small["opportunities"]["opportunity_id"])
    forecasts = small["forecasts"]  # only the owners', regions' and company's rows have no account
    assert (forecasts["account_id"].isna() == (forecasts["level"] != "account")).all()
    products = small["products"]["product_code"]
    assert products.is_unique
    assert set(small["sales"]["product_code"]) <= set(products)
    assert set(small["orders"]["product_code"]) <= set(products)


def test_keys_are_unique_and_no_line_is_an_exact_duplicate(default):
    assert not default["orders"].duplicated(["order_id", "line_no"]).any()
    assert default["opportunities"]["opportunity_id"].is_unique
    assert default["receivables"]["invoice_id"].is_unique
    for table, frame in default.items():  # a validator would set exact duplicates aside
        assert not frame.duplicated().any(), table


# --------------------------------------------------------------------------- size and speed


def test_sales_lines_scale_linearly_with_accounts():
    lines = {n: len(generate_demo(n_accounts=n, years=1, end="2026Q4")["sales"]) for n in (100, 300)}
    assert 130 <= lines[300] / 300 <= 230  # about 180 lines per account and year
    assert 2.6 <= lines[300] / lines[100] <= 3.4


def test_default_size(default):
    assert len(default["accounts"]) == 600
    assert 250_000 <= len(default["sales"]) <= 350_000
    assert 150 <= len(default["products"]) <= 300


# --------------------------------------------------------------------------- the numbers the reports use


def test_five_percent_of_accounts_bring_about_half_the_revenue(default):
    revenue = default["sales"].groupby("account_id")["revenue"].sum().sort_values(ascending=False)
    top = round(0.05 * len(default["accounts"]))
    assert 0.40 <= revenue.iloc[:top].sum() / revenue.sum() <= 0.60


def test_share_of_wallet_positions_at_the_end_quarter(default):
    share = shares(default)
    with_demand = share.index.nunique() / len(default["accounts"])
    assert 0.75 <= with_demand <= 0.95  # the rest: position unknown
    now, before, year_ago = share[END].dropna(), share["2026Q2"], share["2025Q3"]
    high, low = (now >= 0.70).mean(), (now < 0.40).mean()
    assert 0.15 <= high <= 0.35
    assert 0.20 <= 1 - high - low <= 0.40
    assert 0.35 <= low <= 0.55
    change_pp = 100 * (now - year_ago.reindex(now.index))
    assert (change_pp < -5).sum() >= 20  # defend: share lost against a year before
    assert ((now >= 0.70) & (change_pp < -5)).sum() >= 3

    def band(s: pd.Series) -> pd.Series:
        return pd.Series(np.select([s >= 0.70, s >= 0.40], [2, 1], 0), index=s.index)

    moved = band(now) != band(before.reindex(now.index).fillna(0))
    assert moved.sum() >= 20  # the review's movement matrix has off-diagonal counts


def test_targets_follow_revenue_so_attainment_spreads_around_one(default):
    targets = default["targets"].set_index(["account_id", "period"])["revenue_target"]
    revenue = quarterly_revenue(default["sales"]).rename_axis(["account_id", "period"])
    attainment = revenue.reindex(targets.index).fillna(0) / targets
    assert 0.8 <= attainment.median() <= 1.1
    assert (attainment > 1).mean() >= 0.2
    end = targets.xs(END, level="period")
    assert 0.85 <= revenue.xs(END, level="period").reindex(end.index).sum() / end.sum() <= 1.15


def test_sales_lines_look_like_an_erp_export(default):
    sales = default["sales"]
    assert 0.01 <= (sales["revenue"] < 0).mean() <= 0.03  # returns and credit notes
    assert ((sales["revenue"] < 0) == (sales["quantity"] < 0)).all()
    assert 0.005 <= sales["cost"].isna().mean() <= 0.02
    assert 2 <= sales["division"].nunique() <= 3
    products = default["products"].set_index("product_code")
    known = sales.dropna(subset=["cost"]).join(products["high_margin"], on="product_code")
    totals = known.groupby("high_margin")[["revenue", "cost"]].sum()
    margin = 1 - totals["cost"] / totals["revenue"]
    assert margin[True] > margin[False] + 0.15
    # rhythm: some accounts sell most of the month in its last week, most do not
    late = sales["revenue"].where(sales["date"].dt.day >= 22, 0).groupby(sales["account_id"]).sum()
    late_share = late / sales.groupby("account_id")["revenue"].sum()
    assert 0.1 <= (late_share > 0.40).mean() <= 0.4
    # tiers move: the quarterly review has accounts added to and dropped from the key list
    now, before = key_accounts(default), key_accounts(default, "2026-06-30")
    assert now - before and before - now


def test_products_are_a_four_level_hierarchy(default):
    products = default["products"]
    assert 3 <= products["business_group"].nunique() <= 4
    assert (products.groupby("subcategory")["category"].nunique() == 1).all()
    assert (products.groupby("category")["business_group"].nunique() == 1).all()
    assert 0.2 <= products["high_margin"].mean() <= 0.4
    assert 0.1 <= products["strategic"].mean() <= 0.3


def test_accounts_regions_owners_groups_and_names(default):
    accounts = default["accounts"]
    assert set(accounts["region"]) == {"East", "South", "North"}
    owners = accounts.groupby("owner")["region"].nunique()
    assert (owners == 1).all()  # an owner works in one region
    assert accounts.groupby("region")["owner"].nunique().between(4, 6).all()
    groups = accounts.dropna(subset=["group_id"]).groupby("group_id")["region"].agg(["size", "nunique"])
    assert 6 <= len(groups) <= 14
    assert groups["size"].between(3, 8).all() and (groups["nunique"] >= 2).all()
    sites = accounts.dropna(subset=["group_id"])
    assert sites.groupby("group_id")["group_name"].nunique().eq(1).all()  # one name a group
    assert all(name.startswith(group) for name, group in zip(sites["account_name"], sites["group_name"], strict=True))
    assert accounts.loc[accounts["group_id"].isna(), "group_name"].isna().all()
    names = accounts["account_name"]
    assert names.is_unique
    chinese = names.str.contains("有限公司").mean()
    assert 0.35 <= chinese <= 0.65
    assert 0.94 <= (accounts["status"] == "active").mean() <= 0.995
    assert set(accounts["competitor_tier"]) <= {"JP", "TW", "local", "EU"}
    assert set(accounts["payment_terms_days"]) <= {30, 45, 60, 90}
    assert 0.7 <= accounts["credit_limit"].notna().mean() <= 0.9
    potential = accounts["potential_monthly"]
    assert (potential.dropna() > 0).all() and 0 < potential.isna().sum() <= 0.06 * len(accounts)
    small_but_promising = set(accounts.loc[potential >= 50_000, "account_id"]) - key_accounts(default)
    assert len(small_but_promising) >= 3


def test_closed_accounts_stopped_trading(default):
    accounts, sales = default["accounts"], default["sales"]
    closed = set(accounts.loc[accounts["status"] == "closed", "account_id"])
    assert closed
    last_quarter = sales[sales["date"] >= "2026-07-01"]
    assert not closed & set(last_quarter["account_id"])
    opportunities = default["opportunities"]
    assert not closed & set(opportunities.loc[opportunities["status"] == "open", "account_id"])


def test_visits_follow_the_tier_policy_with_gaps(default):
    visits, key = default["visits"], key_accounts(default)
    assert 0.8 <= visits["planned"].mean() <= 0.9
    assert 0.8 <= (visits["status"] == "completed").mean() <= 0.9
    done = visits["status"] == "completed"
    assert visits.loc[~done, "successful"].isna().all() and visits.loc[done, "successful"].notna().mean() > 0.8
    assert (visits.loc[~done, ["promotions", "displays"]] == 0).all().all()
    last = visits[visits["date"] >= "2026-07-01"]
    per_key = last[last["account_id"].isin(key)].groupby("account_id").size()
    assert per_key.median() >= 4  # key accounts get several visits a quarter …
    assert 1 <= len(key - set(last["account_id"])) <= 0.3 * len(key)  # … but some got none
    owner = default["accounts"].set_index("account_id")["owner"]
    assert 0.75 <= (visits["rep"] == visits["account_id"].map(owner)).mean() <= 0.95


def test_orders_fill_rate_and_lateness(default):
    orders = default["orders"]
    assert (orders["qty_ordered"] > 0).all() and (orders["qty_delivered"] >= 0).all()
    assert 0.85 <= (orders["qty_delivered"] == orders["qty_ordered"]).mean() <= 0.95
    assert (orders["qty_delivered"] > orders["qty_ordered"]).any()
    assert (orders["delivered_date"].isna() == (orders["qty_delivered"] == 0)).all()
    assert 0.03 <= orders["requested_date"].isna().mean() <= 0.07
    late = (orders["delivered_date"] > orders["requested_date"]).sum() / orders["delivered_date"].notna().sum()
    assert 0.08 <= late <= 0.22
    filled = np.minimum(orders["qty_delivered"], orders["qty_ordered"]).groupby(orders["account_id"]).sum()
    fill_rate = filled / orders.groupby("account_id")["qty_ordered"].sum()
    busy = orders.groupby("account_id").size() >= 50
    assert fill_rate[busy].median() > 0.9
    assert 3 <= (fill_rate[busy] < 0.85).sum() <= 0.2 * busy.sum()


def test_opportunity_funnel(default):
    opp = default["opportunities"]
    owner = default["accounts"].set_index("account_id")["owner"]
    assert (opp["owner"] == opp["account_id"].map(owner)).all()
    is_open, won = opp["status"] == "open", opp["status"] == "won"
    assert set(opp.loc[is_open, "stage"]) == set(range(1, 8))
    assert (opp.loc[won, "stage"] == 8).all() and opp.loc[opp["status"] == "lost", "stage"].between(1, 7).all()
    counts = opp.loc[is_open, "stage"].value_counts()
    assert counts[1] > counts[7]
    assert opp.loc[is_open, "close_date"].isna().all() and opp.loc[~is_open, "close_date"].notna().all()
    expected = quarter(opp.loc[is_open, "expected_close"]).value_counts(normalize=True)
    assert expected["2026Q4"] > 0.5 and expected[END] > 0.05
    assert (quarter(opp.loc[~is_open, "close_date"]) == END).sum() > 0
    assert (opp["created"] <= opp["close_date"].fillna(LAST_DAY)).all()
    answers = opp[[f"q{i:02d}" for i in range(1, 21)]]
    assert 0.01 <= answers.isna().to_numpy().mean() <= 0.05
    score = answers.fillna(False).astype(int).sum(axis=1)
    assert score[opp["stage"] >= 7].mean() > score[opp["stage"] <= 2].mean() + 4
    key = key_accounts(default)
    assert key - set(opp.loc[is_open, "account_id"])  # some key accounts without open opportunities


def test_spend_receivables_forecasts_contacts_agreements(default):
    sales, spend = default["sales"], default["spend"]
    assert 0.01 <= spend["amount"].sum() / sales["revenue"].sum() <= 0.04 and (spend["amount"] > 0).all()
    promo = spend[spend["spend_type"] == "promotion"]
    assert spend.loc[spend["spend_type"] != "promotion", ["submitted_date", "start_date"]].isna().all().all()
    lead = (promo["start_date"] - promo["submitted_date"]).dt.days
    assert lead.between(7, 14).mean() > 0.7 and (lead >= 45).any()

    receivables = default["receivables"]
    invoice_totals = sales.groupby("invoice_id")["revenue"].sum().round(2)
    assert np.allclose(receivables.set_index("invoice_id")["amount"], invoice_totals.reindex(receivables["invoice_id"]))
    open_ = receivables[receivables["paid_date"].isna()]
    overdue = open_[open_["due_date"] < LAST_DAY - pd.Timedelta(days=60)].groupby("account_id")["amount"].sum()
    assert 2 <= len(overdue) <= 0.1 * len(default["accounts"])

    first = default["forecasts"].sort_values("version").drop_duplicates(["account_id", "period", "category"])
    first = first[(first["level"] == "account") & (first["category"] == "commit")]
    forecasts = first.set_index(["account_id", "period"])["forecast_revenue"]
    error = forecasts / quarterly_revenue(sales).rename_axis(["account_id", "period"]).reindex(forecasts.index) - 1
    assert error.abs().between(0.03, 0.27).mean() > 0.95

    contacts = default["contacts"]
    assert contacts.groupby("account_id").size().between(2, 6).all()
    assert contacts["strength"].between(1, 5).all() and not contacts.duplicated(["account_id", "name"]).any()

    agreements = default["agreements"]
    assert 0.2 <= agreements["account_id"].nunique() / len(default["accounts"]) <= 0.3
    assert not agreements.duplicated(["account_id", "year"]).any()


# --------------------------------------------------------------------------- messy


def test_messy_adds_the_announced_bad_rows_and_keeps_the_clean_ones(small, messy):
    expected, kept = messy["_expected_rejects"], messy["_expected_notes"]
    assert set(expected) == set(kept) == set(DEMO_TABLES)
    assert kept["accounts"] >= 1 and kept["products"] >= 1 and kept["sales"] == 0
    for table in DEMO_TABLES:
        added = len(messy[table]) - len(small[table])
        assert added == expected[table] + kept[table], table
        assert 1 <= added <= 0.03 * len(small[table]), table
        assert (messy[table].dtypes == "string").all(), table
        assert list(messy[table].columns) == CONTRACT[table]
    # duplicate ids are fatal errors, not row problems: never produced
    assert messy["accounts"]["account_id"].dropna().is_unique
    assert messy["opportunities"]["opportunity_id"].dropna().is_unique
    # every kind of bad value a validator meets
    sales, orders = messy["sales"], messy["orders"]
    assert {"31/02/2026", "n/a"} <= set(sales["date"]) and {"12,3.4", "abc"} <= set(sales["revenue"])
    assert {"ZZ999", ""} <= set(sales["account_id"]) and sales.duplicated().any()
    assert "-5" in set(orders["qty_ordered"]) and "9" in set(messy["opportunities"]["stage"])
    assert "7" in set(messy["contacts"]["strength"]) and "-25000" in set(messy["accounts"]["potential_monthly"])
    assert "pending" in set(messy["visits"]["status"]) and "bribe" in set(messy["spend"]["spend_type"])
    same_key = orders[orders.duplicated(["order_id", "line_no"], keep=False) & ~orders.duplicated(keep=False)]
    assert len(same_key) >= 2  # duplicate (order_id, line_no) with different values


@pytest.mark.parametrize("table", ["sales", "visits", "orders", "opportunities"])
def test_messy_clean_rows_are_the_clean_table_as_a_csv_export_writes_it(small, messy, table):
    clean = _as_csv_text(small[table])
    messy_rows = messy[table].itertuples(index=False)
    missing = [row for row in clean.itertuples(index=False) if not _advance_to(messy_rows, row)]
    assert not missing, missing[:3]  # every clean row is there, unchanged and in order


def _advance_to(rows, wanted) -> bool:
    return any(_same(row, wanted) for row in rows)


def _same(a, b) -> bool:
    pairs = zip(a, b, strict=True)
    return all((x is pd.NA and y is pd.NA) or (x is not pd.NA and y is not pd.NA and x == y) for x, y in pairs)


def _as_csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """An independent rendering: ISO dates, shortest decimals, integers, true/false."""
    out = frame.astype(object).where(frame.notna(), pd.NA)
    for name, dtype in frame.dtypes.items():
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = values.dt.strftime("%Y-%m-%d")
        elif dtype == "float64":
            out[name] = values.map(lambda v: pd.NA if pd.isna(v) else (f"{v:.0f}" if v == int(v) else repr(v)))
        elif dtype == "boolean":
            out[name] = values.map({True: "true", False: "false"})
    return out.astype("string")


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_write_demo_writes_every_table(tmp_path, small, fmt):
    paths = write_demo(tmp_path / "new" / "dir", n_accounts=120, fmt=fmt)
    assert set(paths) == set(DEMO_TABLES)
    for table, path in paths.items():
        assert path == tmp_path / "new" / "dir" / f"{table}.{fmt}" and path.is_file()
        back = pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path, encoding="utf-8")
        assert len(back) == len(small[table]), table
        assert list(back.columns) == CONTRACT[table]
    if fmt == "parquet":
        pd.testing.assert_frame_equal(pd.read_parquet(paths["opportunities"]), small["opportunities"])
    else:
        accounts = pd.read_csv(paths["accounts"], dtype=str, keep_default_na=False)
        assert (accounts["account_name"] == small["accounts"]["account_name"]).all()  # commas, CJK intact
        assert pd.read_csv(paths["sales"], nrows=5)["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_write_demo_messy_csv_reconciles(tmp_path, messy):
    paths = write_demo(tmp_path, n_accounts=120, messy=True, fmt="csv")
    for table, path in paths.items():
        assert len(pd.read_csv(path, dtype=str)) == len(messy[table]), table


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_accounts"):
        generate_demo(n_accounts=5)
    with pytest.raises(ValueError, match="quarter"):
        generate_demo(end="2026Q5")
    with pytest.raises(ValueError, match="fmt"):
        write_demo("unused", fmt="xlsx")
