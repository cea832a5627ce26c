"""The sales facts grouped on integer codes: ids back in place and in their order; the lines dropped when consumed."""

import pandas as pd

from kamreport.data.schema import Tables, to_arrow
from kamreport.facts import build_facts
from tests.builders import accounts, present, table


def _tables() -> dict[str, pd.DataFrame]:
    return {
        "accounts": accounts("b-2", "Ä-1", "a-9"),
        "sales": table(
            "sales",
            # text order is byte order: 'a-9' < 'b-2' < 'Ä-1' (Ä is two bytes above z)
            account_id=["Ä-1", "b-2", "a-9", "b-2", "a-9", None],
            date=["2026-07-03", "2026-07-30", "2026-08-01", "2026-07-01", "2026-07-02", "2026-07-05"],
            revenue=[10.0, 20.0, 5.0, 1.5, 2.5, 7.0],
            product_code=["P1", "P2", "P1", "P2", None, "P1"],
            division=["Tools", None, "Tools", "Parts", "Parts", "Tools"],
        ),
        "products": table(
            "products",
            product_code=["P1", "P2"],
            business_group=["G1", "G2"],
            category=["C1", "C2"],
            high_margin=[True, False],
        ),
    }


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list[object]]:
    """The rows of ``columns``, missing values as None."""
    return [[None if pd.isna(v) else v for v in row] for row in frame[columns].itertuples(index=False)]


def test_sales_facts_keep_the_ids_their_order_and_the_products_flags():
    tables = _tables()
    facts = build_facts(tables, present(tables))

    assert list(facts.sales_month.columns[:3]) == ["account_id", "revenue", "quantity"]
    assert _rows(facts.sales_month, ["account_id", "month", "revenue", "high_margin_revenue", "lines"]) == [
        ["a-9", "2026-07", 2.5, 0.0, 1],
        ["a-9", "2026-08", 5.0, 5.0, 1],
        ["b-2", "2026-07", 21.5, 0.0, 2],
        ["Ä-1", "2026-07", 10.0, 10.0, 1],
        [None, "2026-07", 7.0, 7.0, 1],  # a line without an account keeps its missing id, last
    ]
    week = facts.sales_week[facts.sales_week["account_id"] == "b-2"]
    assert _rows(week, ["week_of_month", "revenue"]) == [[1, 1.5], [4, 20.0]]
    assert _rows(facts.sales_mix, ["account_id", "business_group", "revenue"]) == [
        ["a-9", "G1", 5.0],
        ["a-9", None, 2.5],  # no product code: no group
        ["b-2", "G2", 21.5],
        ["Ä-1", "G1", 10.0],
        [None, "G1", 7.0],
    ]
    assert _rows(facts.sales_division, ["account_id", "division", "revenue"]) == [
        ["a-9", "Parts", 2.5],
        ["a-9", "Tools", 5.0],
        ["b-2", "Parts", 1.5],
        ["Ä-1", "Tools", 10.0],
        [None, "Tools", 7.0],
    ]


def test_consuming_drops_the_sales_lines_and_gives_the_same_facts():
    frames = _tables()
    kept = build_facts(frames, present(frames))
    tables = Tables({name: to_arrow(frame) for name, frame in frames.items()})

    consumed = build_facts(tables, present(frames), consume=True)

    assert "sales" not in tables and "accounts" in tables
    for name in ("sales_month", "sales_week", "sales_mix", "sales_division"):
        pd.testing.assert_frame_equal(getattr(consumed, name), getattr(kept, name))
    assert consumed.as_of == kept.as_of == "2026-08-01"


def test_visit_log_keeps_an_accounts_visits_of_one_day_in_source_order():
    # 300 visits of b-2 on one day, reps numbered down, between a-9's: sorted by account and
    # date, the day's visits stay as the export listed them (DuckDB's ORDER BY orders such ties
    # differently from run to run)
    reps = [f"rep {i:03d}" for i in range(300, 0, -1)]
    frames = {
        "accounts": accounts("a-9", "b-2"),
        "sales": table("sales", account_id=["a-9"], date=["2026-09-30"], revenue=[1.0]),
        "visits": table(
            "visits",
            account_id=["b-2"] * 150 + ["a-9"] + ["b-2"] * 150,
            date=["2026-09-01"] * 150 + ["2026-09-02"] + ["2026-09-01"] * 150,
            rep=[*reps[:150], "solo", *reps[150:]],
        ),
    }

    log = build_facts(frames, present(frames)).visit_log

    assert log["account_id"].tolist() == ["a-9"] + ["b-2"] * 300
    assert log["rep"].tolist() == ["solo", *reps]
