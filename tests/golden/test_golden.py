"""The golden workbook and HTML report equal the committed reference, part by part (refresh: make golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden.golden import read_reference, reference_of, render


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return reference_of(*render(Path(tmp_path_factory.mktemp("golden"))))


def test_the_same_parts(rendered: dict[str, str]) -> None:
    assert sorted(rendered) == sorted(read_reference()), "refresh with `make golden` and review the diff"


@pytest.mark.parametrize("part", sorted(read_reference()))
def test_each_part_equals_its_reference(rendered: dict[str, str], part: str) -> None:
    reference = read_reference()[part]
    assert part in rendered, part
    if rendered[part] != reference:
        new, old = rendered[part].splitlines(), reference.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(new, old, strict=False)) if a != b), min(len(new), len(old)))
        pytest.fail(
            f"{part} differs from line {first + 1}:\n  reference: {old[first : first + 2]}\n  now:       "
            f"{new[first : first + 2]}\nrefresh with `make golden` and review `git diff tests/golden/reference`"
        )
