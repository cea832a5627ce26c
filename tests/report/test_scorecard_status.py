"""The scorecard's colour never contradicts the target beside it (share of wallet was green 4 points short)."""

import pytest

from kamreport.params import Rag
from kamreport.params.report import ReportParams
from kamreport.report.sections.summary import _status

RAG = ReportParams().rag  # share_change_pp green 0 / amber -5 points; fill_rate 0.95 / 0.90


def _row(kpi: str, rag_kpi: str, rag_value: float, basis: str | None, vs_target: float) -> dict[str, object]:
    return {"kpi_id": kpi, "rag_kpi": rag_kpi, "rag_value": rag_value, "target_basis": basis, "vs_target": vs_target}


@pytest.mark.parametrize(
    ("vs_target", "expected"),
    [(1.0, "green"), (0.0, "green"), (-4.2, "amber"), (-5.0, "amber"), (-10.0, "red")],
)
def test_share_with_a_target_reads_the_points_to_target(vs_target: float, expected: str) -> None:
    # share grew on last year (+0.8 points: green by report.rag) but the colour follows the target
    row = _row("share_of_wallet", "share_change_pp", 0.8, "target", vs_target)
    assert _status(row, RAG["share_change_pp"]) == expected


def test_rate_with_a_target_uses_its_band_width_in_points() -> None:
    # fill rate 97 % against a 99 % target: 2 points short, within the 5-point band (0.95 - 0.90)
    assert _status(_row("fill_rate", "fill_rate", 0.97, "target", -2.0), RAG["fill_rate"]) == "amber"
    assert _status(_row("fill_rate", "fill_rate", 0.93, "target", -6.0), RAG["fill_rate"]) == "red"


def test_without_a_target_and_for_sales_the_thresholds_decide() -> None:
    # no target: the green threshold stands in, report.rag reads the KPI itself
    assert _status(_row("fill_rate", "fill_rate", 0.93, "threshold", -2.0), RAG["fill_rate"]) == "amber"
    assert (
        _status(_row("share_of_wallet", "share_change_pp", -6.0, None, float("nan")), RAG["share_change_pp"]) == "red"
    )
    # sales read attainment, already measured against the target
    assert _status(_row("revenue", "attainment", 0.95, "target", 0.95), Rag(green=1.0, amber=0.9)) == "amber"
