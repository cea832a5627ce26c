import re
from pathlib import Path

import pytest

from kamreport.errors import ParamsError
from kamreport.params import RunParams, load_params

ROOT = Path(__file__).resolve().parents[1]


def test_demo_params_load_with_defaults():
    params = load_params(ROOT / "params" / "demo.yaml")
    assert params.period == "2026Q3"
    assert str(params.quarter.next) == "2026Q4"
    assert params.planning.positions.maintain_share == 0.70
    assert params.planning.targets.weights == (0.5, 0.3, 0.2)
    assert params.kpi.visits_required.A == 12
    assert params.run_dir == ROOT / "output" / "2026Q3"
    assert params.base_dir == ROOT / "data" / "demo"


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        ("period: 2026Q3\nplaning: {}\n", "planing", "planning"),
        ("period: 2026Q3\nplanning:\n  positions:\n    maintian_share: 0.8\n", "maintian_share", "maintain_share"),
        ("period: 2026Q3\ndata:\n  tables:\n    sales:\n      paht: x.csv\n", "paht", "path"),
        ("period: 2026Q3\ndata:\n  tables:\n    sale: {path: x.csv}\n", "sale", "sales"),
    ],
)
def test_unknown_key_names_key_file_and_closest(tmp_path, text, key, hint):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParamsError) as info:
        load_params(path)
    message = str(info.value)
    assert f"'{key}'" in message
    assert str(path) in message
    assert f"did you mean '{hint}'" in message


def test_mistyped_value_names_the_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("period: 2026Q3\nplanning:\n  positions:\n    maintain_share: high\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"planning\.positions\.maintain_share"):
        load_params(path)


def test_bad_period_is_refused(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("period: 2026-09\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="YYYYQn"):
        load_params(path)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ParamsError, match="not found"):
        load_params(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("period: [", encoding="utf-8")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(bad)


def test_params_are_frozen():
    params = RunParams(period="2026Q3")
    with pytest.raises(Exception, match="frozen"):
        params.period = "2026Q4"  # type: ignore[misc]


def test_a_params_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("period: 2026Q3\nreport:\n  company_name: Müller\n".encode("latin-1"))
    with pytest.raises(ParamsError) as info:
        load_params(path)
    assert str(path) in str(info.value)
    assert "not UTF-8 text (byte 0xfc on line 3); save the params file as UTF-8" in str(info.value)


def test_a_key_given_twice_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "period: 2026Q3\ndata:\n  tables:\n    sales: {path: a.csv}\n    accounts: {path: b.csv}\n"
        "    sales: {path: c.csv}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParamsError, match=r"p\.yaml: key 'sales' is given twice, on line 4 and on line 6"):
        load_params(path)
    path.write_text("period: 2026Q3\nperiod: 2026Q4\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="key 'period' is given twice, on line 1 and on line 2"):
        load_params(path)


def test_yaml_merge_keys_still_override(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "period: 2026Q3\nreport:\n  rag:\n    attainment: &r {green: 1.0, amber: 0.9}\n"
        "    fill_rate:\n      <<: *r\n      green: 0.97\n",
        encoding="utf-8",
    )
    params = load_params(path)
    assert (params.report.rag["fill_rate"].green, params.report.rag["fill_rate"].amber) == (0.97, 0.9)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"run_name": "../../elsewhere"}, "run_name is the run's folder name and must be a plain file name: use"),
        ({"run_name": "CON"}, "use 'x_CON'"),
        ({"regions": ["East", "East"]}, "East listed more than once"),
        ({"regions": [""]}, "an empty region name"),
    ],
)
def test_run_name_and_regions_are_checked(values, message):
    from kamreport.params import parse_params

    with pytest.raises(ParamsError, match=re.escape(message)):
        parse_params({"period": "2026Q3", **values})


def test_recipients_languages_are_the_params_languages():
    # stated twice (the contract cannot import params: params reads the contract): they must agree
    from typing import get_args

    from kamreport.contract import RECIPIENTS
    from kamreport.params import Language

    column = next(c for c in RECIPIENTS.columns if c.name == "language")
    assert column.values == get_args(Language) == ("en", "zh")
