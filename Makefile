# The two set-up commands of the README: `make run` and `make test` (plus `make bench`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE := out/example.db

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

## make run: install into .venv and run the main job on the bundled example corpus
run: $(VENV)/.installed
	@mkdir -p out
	@rm -f $(STORE) $(STORE)-wal $(STORE)-shm
	$(BIN)/storyline ingest examples/raa --db $(STORE)
	$(BIN)/storyline build-stories --db $(STORE)
	$(BIN)/storyline stories --db $(STORE)
	$(BIN)/storyline timeline --db $(STORE)
	$(BIN)/storyline timeline --db $(STORE) --format html -o out/timeline.html
	@echo "(out/timeline.html needs no network: open it in any browser)"

## make test: lint, type-check the core, run the test suite
test: lint typecheck pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

## make bench: every benchmark; figures printed and written to bench/results/
bench: $(VENV)/.dev-installed
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
