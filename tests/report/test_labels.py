"""Every word in both languages, sheet names Excel accepts, values formatted by unit, CJK in charts."""

from __future__ import annotations

import re
import warnings

import pytest

from kamreport.params import parse_params
from kamreport.registry import KPI_IDS
from kamreport.report.format import format_value
from kamreport.report.html import figure_png
from kamreport.report.labels import COLUMNS, KPI_TEXT, STAGES, TEXT, VALUES, kpi_label, run_text, t
from kamreport.report.notebook import show

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_kpi_has_a_name_and_definition_in_both_languages():
    assert set(KPI_TEXT) == set(KPI_IDS)
    for kpi, (en, zh, en_def, zh_def) in KPI_TEXT.items():
        assert en and en_def and CJK.search(zh) and CJK.search(zh_def), kpi


@pytest.mark.parametrize("table", [TEXT, COLUMNS, VALUES, STAGES])
def test_every_label_has_both_languages(table):
    for key, (en, zh) in table.items():
        assert en.strip() and zh.strip(), key
        assert CJK.search(zh) or zh != en, (
            key
        )  # translated (a label of placeholders only still gets Chinese punctuation)


def test_sheet_names_are_valid_for_excel():
    for key, (en, zh) in TEXT.items():
        if key.startswith("sheet."):
            for name in (en, zh):
                assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name


def test_placeholders_agree_between_languages():
    for key, (en, zh) in TEXT.items():
        assert sorted(re.findall(r"\{(\w+)", en)) == sorted(re.findall(r"\{(\w+)", zh)), key


def test_positioning_intro_states_the_runs_own_thresholds():
    params = parse_params(
        {"period": "2026Q1", "planning": {"positions": {"maintain_share": 0.65, "defend_share": 0.3}}}
    )
    en, zh = (run_text(t("intro.positioning", lang), params) for lang in ("en", "zh"))
    assert "maintain (share ≥ 65 % and steady)" in en and "attack (share under 30 %)" in en
    assert "份额≥65%" in zh and "份额<30%" in zh


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234567.4, "amount", "¥1,234,567"),
        (-50.0, "amount", "−¥50"),
        (0.358, "share", "35.8%"),
        (-4.94, "pp", "-4.9 个百分点"),
        (-0.04, "pp", "+0.0 个百分点"),  # rounded before its sign is chosen
        (-0.0004, "share", "0.0%"),
        (1234.0, "quantity", "1,234"),
        (0.85, "multiple", "0.85×"),
        (12.0, "days", "12"),
        (float("nan"), "share", "—"),
        (None, "text", ""),
        ("defend", "label", "防御"),
        (True, "label", "是"),
        ("<b>x</b>", "text", "<b>x</b>"),  # escaping is the HTML writer's job, not the formatter's
    ],
)
def test_values_are_formatted_by_unit(value, unit, expected):
    assert format_value(value, unit, "zh", "¥") == expected


def test_chinese_charts_have_every_glyph(demo_run_zh):
    view = demo_run_zh.region(demo_run_zh.regions[0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for chapter in ("summary", "pipeline", "rhythm"):
            for figure in show(view, chapter).figures:
                assert figure_png(figure).startswith(b"\x89PNG")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]
    assert kpi_label("revenue", "zh") == "销售额" and t("sheet.summary", "zh") == "概览"


@pytest.mark.parametrize(
    ("reason", "chinese"),
    [
        ("revenue: 'inf' is not a finite number", "revenue：“inf”不是有限数值"),
        ("revenue: '2e+13' is beyond ±1e+13 (validation.max_abs_number)", "超出 ±1e+13"),
        ("date: 1985-01-02 is before 1990-01-01 (validation.min_date)", "date：1985-01-02 早于 1990-01-01"),
        (
            "date: 2030-01-01 is more than 366 days after the period's end 2026-09-30 "
            "(validation.max_days_after_period)",
            "晚于报告期末 2026-09-30 超过 366 天",
        ),
        ("status: cannot read 'x' as enum — left blank, the row is kept", "status：无法将“x”读取为 enum——该值留空"),
        ("account A3 set aside: region: empty (required)", "客户 A3 已被剔除：region：必填但为空"),
        ("merged into A1 by data.merge: its rows count there", "已按 data.merge 合并到 A1"),
        ("owner: no match in people.csv (column Region) for 'North'", "在 people.csv（列 Region）中找不到“North”"),
        (
            "account A2 'ACME GmbH' may be the same customer as A1 'Acme' (names equal once width, case, spaces, "
            "punctuation and legal forms are set aside); if so, list it in data.merge",
            "客户 A2“ACME GmbH”可能与 A1“Acme”是同一客户",
        ),
    ],
)
def test_data_layer_reasons_read_in_chinese(reason: str, chinese: str) -> None:
    """Every reason the validator writes has a Chinese form (names and values quoted as written)."""
    from kamreport.report.labels import reason_text

    text = reason_text(reason, "zh")
    assert chinese in text
    words = set(re.findall(r"[a-z]+", re.sub(r"\b(validation|data)\.\w+", "", text)))
    assert not {"set", "aside", "finite", "beyond", "before", "after", "merged", "match", "blank"} & words
