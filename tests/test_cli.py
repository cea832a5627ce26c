"""The command line: exit codes and what it prints."""

from builders import write_params

from kamreport.cli import main


def test_validate_prints_the_summary_and_writes_data_quality(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("account_id,account_name,region,owner\nA1,x,East,Li\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("date,account_id,revenue\n2026-07-01,A1,5\n2026-07-01,ZZ,5\n", encoding="utf-8")
    params = write_params(tmp_path, {"accounts": tmp_path / "a.csv", "sales": tmp_path / "s.csv"})
    assert main(["validate", str(params)]) == 2  # 1 of 2 sales rows lost: over the 5 % limit
    assert "too many rows set aside" in capsys.readouterr().err
    assert (tmp_path / "out" / "2026Q3" / "data_quality.csv").is_file()
    assert main(["validate", str(params), "--allow-rejects"]) == 0
    out = capsys.readouterr().out
    assert "sales" in out and "unknown account_id" in out


def test_fatal_params_error_exits_2(tmp_path, capsys):
    bad = tmp_path / "p.yaml"
    bad.write_text("period: 2026Q3\nplaning: {}\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert "did you mean 'planning'" in capsys.readouterr().err


def test_names_in_an_error_message_are_printed_as_written(tmp_path, capsys):
    bad = tmp_path / "p.yaml"
    bad.write_text("period: 2026Q3\n'[/]planning': {}\n'[red]x': 1\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 2  # rich markup in a key neither crashes nor vanishes
    err = capsys.readouterr().err
    assert "'[/]planning'" in err and "'[red]x'" in err


def test_demo_data_writes_every_table(tmp_path):
    assert main(["demo-data", str(tmp_path / "d"), "--accounts", "60", "--seed", "3"]) == 0
    assert len(list((tmp_path / "d").glob("*.parquet"))) == 13
    assert main(["validate", str(tmp_path / "d" / "params.yaml")]) == 0  # the params file it writes beside them
