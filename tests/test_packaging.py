"""pyproject.toml declares ranges, the locks pin their lower bounds, environment.yml installs the lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"


def locked(path: Path) -> dict[str, set[tuple[str, str]]]:
    """Package → every (version, environment marker) the lock pins it at."""
    found: dict[str, set[tuple[str, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or not line[0].isalnum():
            continue  # comments and the "# via" lines
        pin, _, marker = line.partition(" ; ")
        name, version = pin.split("==")
        found.setdefault(canonicalize_name(name), set()).add((version, marker.strip()))
    return found


def next_major(version: Version) -> str:
    """The exclusive upper bound of a range: the next major release, the next minor for 0.x."""
    major, minor = version.release[0], version.release[1] if len(version.release) > 1 else 0
    return f"0.{minor + 1}" if major == 0 else str(major + 1)


def declared() -> dict[str, list[Requirement]]:
    """The runtime dependencies, every extra and every dependency group of pyproject.toml."""
    sets = {"runtime": [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]}
    for extra, reqs in PYPROJECT["project"].get("optional-dependencies", {}).items():
        sets[f"extra {extra}"] = [Requirement(r) for r in reqs]
    for group, reqs in PYPROJECT.get("dependency-groups", {}).items():
        sets[f"group {group}"] = [Requirement(r) for r in reqs if isinstance(r, str)]
    return sets


REQUIREMENTS = [(where, r) for where, reqs in declared().items() for r in reqs]


@pytest.mark.parametrize(("where", "req"), REQUIREMENTS, ids=[f"{w}: {r.name}" for w, r in REQUIREMENTS])
def test_each_dependency_is_a_range_whose_lower_bound_the_lock_pins(where, req):
    lower = [s for s in req.specifier if s.operator == ">="]
    upper = [s for s in req.specifier if s.operator == "<"]
    assert len(lower) == 1 and len(upper) == 1 and len(req.specifier) == 2, f"{req}: write >=LOCKED,<NEXT_MAJOR"
    bound = Version(lower[0].version)
    assert upper[0].version == next_major(bound), f"{req}: the upper bound is the next major, <{next_major(bound)}"
    lock = locked(RUNTIME_LOCK if where == "runtime" else DEV_LOCK)
    versions = {v for v, _ in lock.get(canonicalize_name(req.name), set())}
    assert versions == {str(bound)}, f"{req.name}: the lock pins {versions or 'nothing'}; run `make lock`"


def test_the_dev_lock_installs_the_runtime_lock_unchanged():
    runtime, dev = locked(RUNTIME_LOCK), locked(DEV_LOCK)
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_runtime_lock_holds_no_dev_tool():
    tools = {"pytest", "pytest-xdist", "hypothesis", "ruff", "mypy", "pandas-stubs", "types-pyyaml"}
    assert tools <= set(locked(DEV_LOCK))
    assert tools & set(locked(RUNTIME_LOCK)) == set()


def test_every_locked_version_satisfies_the_declared_range():
    dev = locked(DEV_LOCK)
    for _, req in REQUIREMENTS:
        for version, _marker in dev[canonicalize_name(req.name)]:
            assert Version(version) in req.specifier, f"{req.name}=={version} is outside {req.specifier}"


def test_environment_yml_installs_the_runtime_lock_and_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["-r requirements/runtime.txt", "-e ."]
    python = next(d for d in conda if d.startswith("python="))
    assert Version(python.split("=")[1]) in SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert sorted(conda) == ["pip", python]


def test_make_installs_the_dev_lock_then_kamreport_without_dependencies():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK   := requirements/dev.txt" in makefile
    assert re.search(r"pip install --quiet -r \$\(LOCK\)\n.*pip install --quiet --no-deps -e \.", makefile)
