"""The generated documents match the code, every KPI is defined, and every cited document and anchor exists."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from kamreport.reference import documents as docs
from kamreport.reference import render, stale
from kamreport.reference.__main__ import main
from kamreport.reference.markdown import default, fill_params
from kamreport.registry import KPIS, Kpi

ROOT = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_CITED = re.compile(r"\bdocs/[\w-]+\.md\b")


def test_committed_documents_are_what_the_code_renders():
    assert stale(ROOT) == [], "regenerate: python -m kamreport.reference"


def test_every_registry_kpi_has_a_name_definition_and_formula():
    assert docs.undefined_kpis() == []
    page = render("docs/kpis.md")
    assert all(f"| `{k.id}` |" in page for k in KPIS)


def test_a_kpi_without_a_definition_stops_the_generator(monkeypatch):
    monkeypatch.setattr(docs, "KPIS", (*KPIS, Kpi("churn_risk", "supporting", "share")))
    with pytest.raises(KeyError, match="churn_risk"):
        docs.kpi_reference()


def test_formulas_print_params_defaults_with_their_keys():
    assert default("planning.tiers.a_cum_share") == 0.5
    assert default("planning.funnel.coverage_ratios.3") == 0.2
    assert fill_params("day {kpi.last_week_first_day} on") == "day 22 *(param `kpi.last_week_first_day`)* on"
    with pytest.raises(KeyError, match=r"kpi\.no_such_key"):
        fill_params("{kpi.no_such_key}")


def test_every_params_key_is_in_the_reference():
    from kamreport.params import documented_keys

    reference = (ROOT / "params" / "README.md").read_text(encoding="utf-8")
    keys = [key for key, _, _ in documented_keys()]
    assert "planning.positions.maintain_share" in keys and "kpi.visits_required.A" in keys
    assert all(f"`{key}`" in reference for key in keys)


def test_the_command_rewrites_and_checks(tmp_path, capsys):
    with pytest.raises(SystemExit):  # an installed package has no checkout to write into
        main(["--root", str(tmp_path)])
    assert "not a kamreport checkout" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / "docs" / "kpis.md").write_text("edited by hand\n", encoding="utf-8")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert "stale: docs/kpis.md" in capsys.readouterr().out


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return {_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _documents() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "params" / "README.md", ROOT / "benchmarks" / "README.md"]
    found += sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "examples").rglob("*.md"))
    return found


@pytest.mark.parametrize("page", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_between_documents_resolve(page):
    broken = []
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith("mailto:"):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in _anchors(path)):
            broken.append(target)
    assert broken == []


def test_every_document_the_code_cites_exists():
    sources = [*ROOT.joinpath("kamreport").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]
    sources += [*ROOT.joinpath("benchmarks").rglob("*.py"), *_documents()]
    cited = {m for path in sources for m in _CITED.findall(path.read_text(encoding="utf-8"))}
    assert {"docs/kpis.md", "docs/data-contract.md", "docs/outputs.md"} <= cited
    assert sorted(c for c in cited if not (ROOT / c).is_file()) == []
