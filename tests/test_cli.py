"""The command line: exit codes and what it prints."""

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import write_params

from kamreport.cli import main
from kamreport.demo import DEMO_TABLES


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable for this process: chmod, or for root (whom modes do not stop) chattr +i."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], check=False).returncode == 0:
        undo = ["chattr", "-i", str(folder)]
    else:
        pytest.skip("cannot make a read-only folder here (root, and no chattr on this file system)")
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


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
    assert len(list((tmp_path / "d").glob("*.parquet"))) == len(DEMO_TABLES)
    assert main(["validate", str(tmp_path / "d" / "params.yaml")]) == 0  # the params file it writes beside them


def _small(folder, header: str = "date,account_id,revenue", **values):  # type: ignore[no-untyped-def]
    """Two accounts in East and West, three sales lines; a params file naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.csv").write_text(
        "account_id,account_name,region,owner\nA1,Alpha,East,Li\nA2,Beta,West,Wu\n", encoding="utf-8"
    )
    (folder / "s.csv").write_text(f"{header}\n2026-07-01,A1,5\n2026-08-01,A2,7\n2026-09-01,A1,3\n", encoding="utf-8")
    return write_params(folder, {"accounts": folder / "a.csv", "sales": folder / "s.csv"}, **values)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--only", "data,pdf"], "--only pdf: not an output; --only takes a comma list of data, xlsx, html"),
        (["--region", "Nowhere"], "--region Nowhere: no such region in this run; its regions are East, West"),
        (["--account", "A9"], "--account A9: no such account_id in this run"),
    ],
)
def test_an_unknown_selection_exits_2_before_anything_is_rendered(tmp_path, capsys, options, message):
    params = _small(tmp_path)
    assert main(["run", str(params), "--workers", "1", *options]) == 2
    assert message in capsys.readouterr().err.replace("\n", " ")
    assert not (tmp_path / "out" / "2026Q3" / "run.json").exists()


def test_regions_naming_no_region_exits_2(tmp_path, capsys):
    params = _small(tmp_path, regions=["Nowhere"])
    assert main(["run", str(params), "--only", "data"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert "regions: 'Nowhere' is not a region of any account. The accounts' regions are East, West" in err
    assert str(params) in err


def test_user_text_is_never_console_markup(tmp_path, capsys):
    """A header and a folder called [/x] are printed as written (rich read them as closing tags and crashed)."""
    folder = tmp_path / "[/x] exports"
    _small(folder, header="date,account_id,[/x]")
    sales = {"path": str(folder / "s.csv"), "columns": {"Amount": "revenue"}}
    params = write_params(folder, {"accounts": folder / "a.csv", "sales": sales})
    assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert "column 'Amount' named in data.tables.sales.columns is not in" in err
    assert "[/x] exports" in err and "Found columns: date, account_id, [/x]" in err
    params = _small(folder)
    assert main(["run", str(params), "--only", "data"]) == 0
    out = capsys.readouterr().out.replace("\n", " ")
    assert f"run folder: {folder / 'out' / '2026Q3'}" in out


def test_an_output_folder_that_cannot_be_written_exits_2(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    params = _small(tmp_path, output_dir=str(blocker / "out"))
    assert main(["run", str(params), "--only", "data"]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert f"cannot write the output folder {blocker / 'out' / '2026Q3'}" in err
    assert "set output_dir in the params file to a folder you can write" in err


def test_a_read_only_output_folder_exits_2(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    params = _small(tmp_path)
    with read_only(out):
        assert main(["run", str(params), "--only", "data"]) == 2
        assert main(["validate", str(params)]) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert err.count(f"cannot write the output folder {out / '2026Q3'}") == 2
