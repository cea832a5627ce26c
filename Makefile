# Two commands set everything up on a fresh machine (README.md):
#   make demo   – builds .venv, installs kamreport, makes the demo data and runs the quarterly pack
#   make test   – the same set-up plus test-only system packages, then lint, type check and tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

RUNTIME_DEBS := fonts-noto-cjk
TEST_DEBS    := fonts-noto-cjk libreoffice-calc poppler-utils

.PHONY: demo test lint typecheck bench notebooks golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	scripts/system-packages.sh $(RUNTIME_DEBS)
	$(BIN)/kamreport demo

test: $(STAMP)
	scripts/system-packages.sh $(TEST_DEBS)
	$(BIN)/ruff check kamreport tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check kamreport tests benchmarks scripts
	$(BIN)/ruff format --check kamreport tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

# the report notebooks, generated from the chapter declarations (tests/report/test_chapters.py checks them)
notebooks: $(STAMP)
	$(BIN)/python -m kamreport.report.notebooks

# the golden workbook and HTML report (tests/golden): re-render, then review `git diff tests/golden/reference`
golden: $(STAMP)
	scripts/system-packages.sh $(RUNTIME_DEBS)
	$(BIN)/python tests/golden/golden.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) output/*/ .pytest_cache .mypy_cache .ruff_cache
