"""Plans of record on hand-made data: objectives, the rolling promotion plan, annual agreements so far (issue 17)."""

import math

import pytest
from builders import account_kpis, accounts, compute_results, table

OWNERS = ["Li", "Wang", "Li"]


def _accounts():
    return accounts("K1", "K2", "K3", region=["East", "East", "South"], owner=OWNERS)


def _sales():
    # T4Q revenue 1000 / 500 / 100: K1 is tier A, K2 tier B (both key accounts), K3 tier C
    return table(
        "sales",
        date=["2026-08-05", "2026-08-10", "2026-08-11", "2026-08-15", "2026-08-15"],
        account_id=["K1", "K1", "K1", "K2", "K3"],
        revenue=[400.0, 300.0, 300.0, 500.0, 100.0],
        quantity=[20.0, 15.0, 100.0, 10.0, 5.0],
    )


def _objectives():
    return table(
        "objectives",
        account_id=["K1", "K1", "K1", "K1", "K2", "K2"],
        objective=["done in Q3", "open in Q3", "dropped in Q3", "open since Q2", "due on the last day", "due later"],
        owner=["Li"] * 4 + ["Wang"] * 2,
        due=["2026-08-15", "2026-09-10", "2026-07-05", "2026-05-01", "2026-09-30", "2026-11-01"],
        status=["done", "open", "dropped", "open", "open", "open"],
    )


def test_objectives_due_done_and_overdue():
    results = compute_results(accounts=_accounts(), sales=_sales(), objectives=_objectives())
    k1, k2, k3 = (account_kpis(results, a) for a in ("K1", "K2", "K3"))
    # K1: due in Q3 = the done one and the open one (the dropped one does not count)
    assert k1["objectives_due"] == 2 and k1["objectives_done_share"] == 0.5
    assert k1["objectives_overdue"] == 2  # open and due before 2026-09-30: 2026-09-10 and 2026-05-01
    # K2: due on the period's last day is due, not yet overdue
    assert k2["objectives_due"] == 1 and k2["objectives_done_share"] == 0 and k2["objectives_overdue"] == 0
    assert k3["objectives_due"] == 0 and math.isnan(k3["objectives_done_share"]) and k3["objectives_overdue"] == 0
    li = results.kpi_table("owner").loc["Li"]  # the accounts' owner: K1 and K3
    assert li["objectives_due"] == 2 and li["objectives_done_share"] == 0.5 and li["objectives_overdue"] == 2
    east = results.kpi_table("region").loc["East"]
    assert east["objectives_due"] == 3 and east["objectives_done_share"] == pytest.approx(1 / 3)
    assert east["objectives_overdue"] == 2
    # a past quarter: due then (today's status), overdue only for the run's period
    q2 = account_kpis(results, "K1", "2026Q2")
    assert q2["objectives_due"] == 1 and q2["objectives_done_share"] == 0 and math.isnan(q2["objectives_overdue"])


def test_objectives_missing_without_the_table_never_zero():
    results = compute_results(accounts=_accounts(), sales=_sales())
    east = results.kpi_table("region").loc["East"]
    for kpi in ("objectives_due", "objectives_done_share", "objectives_overdue", "promo_plan_coverage",
                "agreement_revenue_attainment_ytd", "bid_win_rate", "strategic_penetration"):  # fmt: skip
        assert math.isnan(east[kpi]), kpi


def _promotions():
    return table(
        "promotions",
        account_id=["K1", "K1", "K2", "K2", "K3", "K1", "K2"],
        promo_id=["P1", "P2", "P3", "P4", "P5", "P6", "P7"],
        start=["2026-10-05", "2026-11-25", "2026-12-01", "2026-10-20", "2026-10-01", "2026-08-01", "2026-09-01"],
        end=["2026-10-20", "2026-12-05", "2026-12-10", "2026-10-25", "2026-10-31", "2026-08-10", "2026-09-05"],
        submitted=["2026-08-01", None, "2026-08-01", "2026-09-20", "2026-09-01", "2026-06-01", "2026-07-01"],
        planned_spend=[50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 500.0],
        planned_volume=[5.0, 6.0, 7.0, 8.0, 9.0, 50.0, 500.0],
        status=["approved", "planned", "cancelled", "planned", "approved", "approved", "cancelled"],
    )


def _spend():
    return table(
        "spend",
        date=["2026-08-03", "2026-08-20"],
        account_id=["K1", "K1"],
        amount=[80.0, 30.0],
        spend_type=["promotion", "promotion"],
        submitted_date=["2026-06-01", "2026-07-20"],
        start_date=["2026-08-03", "2026-08-20"],
    )


def test_promotion_plan_coverage_lead_time_and_plan_against_actual():
    results = compute_results(accounts=_accounts(), sales=_sales(), promotions=_promotions(), spend=_spend())
    k1, k2, k3 = (account_kpis(results, a) for a in ("K1", "K2", "K3"))
    # October, November, December 2026: K1 has P1 (Oct) and P2 (Nov–Dec); K2 only P4 (Oct), P3 is cancelled
    assert k1["promo_plan_coverage"] == 1 and k2["promo_plan_coverage"] == pytest.approx(1 / 3)
    assert math.isnan(k3["promo_plan_coverage"])  # not a key account: no plan months to cover
    assert results.kpi_table("region").loc["East", "promo_plan_coverage"] == pytest.approx(4 / 6)
    assert math.isnan(results.kpi_table("region").loc["South", "promo_plan_coverage"])
    # lead time against 45 days: P1 sent 65 days ahead (on time), P4 30 (late), P5 30 (late);
    # P2 is not sent yet and its deadline (2026-10-11) is still ahead: not judged
    assert k1["promo_plan_on_time_share"] == 1 and k2["promo_plan_on_time_share"] == 0
    assert results.kpi_table("company").loc["all", "promo_plan_on_time_share"] == pytest.approx(1 / 3)
    # this quarter's promotion P6 (1–10 August): the run on 3 August cost 80 (the one on 20 August is
    # outside it), K1 sold 20 + 15 in the window; the cancelled P7 does not count
    assert k1["promo_planned_spend"] == 100 and k1["promo_actual_spend"] == 80 and k1["promo_spend_vs_plan"] == 0.8
    assert k1["promo_planned_volume"] == 50 and k1["promo_actual_volume"] == 35
    assert k1["promo_volume_vs_plan"] == pytest.approx(0.7)
    assert k2["promo_planned_spend"] == 0 and math.isnan(k2["promo_spend_vs_plan"])


def test_planned_promotions_judged_late_once_their_deadline_passed_unsent():
    plan = table(
        "promotions",
        account_id=["K1"],
        promo_id=["P1"],
        start=["2026-10-20"],  # deadline 2026-09-05, before the period's end
        end=["2026-10-30"],
        status=["planned"],
    )
    results = compute_results(accounts=_accounts(), sales=_sales(), promotions=plan)
    assert account_kpis(results, "K1")["promo_plan_on_time_share"] == 0


def test_agreement_attainment_so_far():
    agreements = table(
        "agreements",
        account_id=["K1", "K2", "K1"],
        year=[2026, 2026, 2025],
        volume_target=[200.0, None, 999.0],
        revenue_target=[2000.0, 800.0, 999.0],
        promotions_committed=[4, None, 99],
    )
    results = compute_results(accounts=_accounts(), sales=_sales(), agreements=agreements, spend=_spend())
    k1 = account_kpis(results, "K1")
    # 2026Q3: nine months of twelve gone; K1 sold 135 units and 1000 of revenue, ran 2 promotions
    assert k1["agreement_volume_attainment_ytd"] == pytest.approx(135 / (200 * 0.75))
    assert k1["agreement_revenue_attainment_ytd"] == pytest.approx(1000 / 1500)
    assert k1["agreement_promotions_attainment_ytd"] == pytest.approx(2 / 3)
    assert math.isnan(k1["agreement_spend_attainment_ytd"])  # no spend committed
    assert math.isnan(k1["agreement_displays_attainment_ytd"])  # no visits table: displays unknown
    east = results.kpi_table("region").loc["East"]
    # only the accounts that committed to an item count in it: K2's units are not in the volume
    assert east["agreement_volume_attainment_ytd"] == pytest.approx(135 / 150)
    assert east["agreement_revenue_attainment_ytd"] == pytest.approx((1000 + 500) / ((2000 + 800) * 0.75))
    assert math.isnan(results.kpi_table("region").loc["South", "agreement_revenue_attainment_ytd"])
    # the plan's agreement table says the same
    rows = results.agreement
    row = rows[(rows["level"] == "region") & (rows["key"] == "East") & (rows["item"] == "revenue_target")].iloc[0]
    assert row["attainment_ytd"] == pytest.approx(east["agreement_revenue_attainment_ytd"])
    assert row["committed"] == 2800 and row["actual"] == 1500
