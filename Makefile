# Two commands set everything up on a fresh machine (README.md):
#   make demo   – builds .venv, installs kamreport, makes the demo data, runs the quarterly pack, writes the e-mail drafts
#   make test   – the same set-up plus test-only system packages (PostgreSQL among them: the SQL source
#                 tests start a throwaway server), then lint, type check and tests
# Both install exactly the versions of the lock (requirements/dev.txt), then kamreport itself
# without dependencies. `make lock` re-resolves the locks after a change to pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/dev.txt
STAMP  := $(VENV)/.installed-$(shell cat $(LOCK) pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.9
UV     := $(VENV)/uv/bin/uv
UV_COMPILE := $(UV) pip compile pyproject.toml --universal --python-version 3.11 --resolution lowest-direct \
              --custom-compile-command "make lock" --quiet

RUNTIME_DEBS := fonts-noto-cjk
TEST_DEBS    := fonts-noto-cjk libreoffice-calc poppler-utils postgresql

.PHONY: demo test lint typecheck docs notebooks golden bench lock clean

$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# the generated documents (params/README.md, docs/kpis.md, docs/data-contract.md, docs/outputs.md)
docs: $(STAMP)
	$(BIN)/python -m kamreport.reference

# the report notebooks, generated from the chapter declarations (tests/report/test_chapters.py checks them)
notebooks: $(STAMP)
	$(BIN)/python -m kamreport.report.notebooks

# the golden workbook and HTML report (tests/golden): re-render, then review `git diff tests/golden/reference`
golden: $(STAMP)
	scripts/system-packages.sh $(RUNTIME_DEBS)
	$(BIN)/python tests/golden/golden.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# requirements/runtime.txt: what kamreport needs (environment.yml installs it);
# requirements/dev.txt: the same versions plus every extra and the dev group (make installs it).
# Direct dependencies resolve to the lower bounds of pyproject.toml, so raise a bound to upgrade.
lock:
	test -x $(UV) || ($(PYTHON) -m venv $(VENV)/uv && $(VENV)/uv/bin/python -m pip install --quiet uv==$(UV_VERSION))
	$(UV_COMPILE) -o requirements/runtime.txt
	$(UV_COMPILE) --all-extras --group dev -c requirements/runtime.txt -o requirements/dev.txt

clean:
	rm -rf $(VENV) output/*/ .pytest_cache .mypy_cache .ruff_cache
