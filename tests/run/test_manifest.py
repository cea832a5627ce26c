"""run.json and the journal of finished jobs: what --resume may read back after a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kamreport.run.manifest import JOURNAL, MANIFEST, Journal, read_manifest


def _job(job_id: str, status: str = "ok") -> dict[str, Any]:
    return {"id": job_id, "status": status, "render_key": f"key-{job_id}", "files": {}}


def _interrupted_run(run_dir: Path, kept: list[dict[str, Any]], token: str) -> None:
    """run.json as a run writes it before rendering: not complete, naming its journal."""
    doc = {"run": "t", "complete": False, "journal": token, "jobs": kept, "failed": []}
    (run_dir / MANIFEST).write_text(json.dumps(doc), encoding="utf-8")


def test_the_journal_adds_the_finished_jobs_to_an_unfinished_run(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    _interrupted_run(tmp_path, [_job("region:East")], journal.token)
    with journal:
        journal.add(_job("account:A1"))
        journal.add(_job("account:A2", "failed"))
    # the with block ends without finish(): as after a crash, the journal stays for --resume
    doc = read_manifest(tmp_path)
    assert [j["id"] for j in doc["jobs"]] == ["region:East", "account:A1", "account:A2"]
    assert doc["failed"] == ["account:A2"]
    journal.finish()
    assert not (tmp_path / JOURNAL).exists()
    assert [j["id"] for j in read_manifest(tmp_path)["jobs"]] == ["region:East"]


def test_a_line_cut_short_ends_the_journal(tmp_path: Path) -> None:
    """A crash in the middle of a write: that job, and nothing after it, counts as done."""
    journal = Journal(tmp_path)
    _interrupted_run(tmp_path, [], journal.token)
    with journal:
        journal.add(_job("account:A1"))
    whole = json.dumps(_job("account:A2"))
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as f:
        f.write(whole)  # no newline: the write did not finish, although the JSON happens to be whole
    assert [j["id"] for j in read_manifest(tmp_path)["jobs"]] == ["account:A1"]
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as f:
        f.write("\n" + whole[:20] + "\n" + json.dumps(_job("account:A3")) + "\n")
    assert [j["id"] for j in read_manifest(tmp_path)["jobs"]] == ["account:A1", "account:A2"]


def test_another_runs_journal_is_never_read(tmp_path: Path) -> None:
    old = Journal(tmp_path)
    with old:
        old.add(_job("account:A1"))
    _interrupted_run(tmp_path, [], "the token of a later run that died before its journal opened")
    assert read_manifest(tmp_path)["jobs"] == []
    # a finished run.json never reads a journal left beside it
    doc = {"run": "t", "complete": True, "journal": old.token, "jobs": [], "failed": []}
    (tmp_path / MANIFEST).write_text(json.dumps(doc), encoding="utf-8")
    assert read_manifest(tmp_path)["jobs"] == []
