# Clausewise: `make run` sets everything up and serves the app; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run setup test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/flask --app wsgi setup
	$(BIN)/flask --app wsgi demo seed

run: setup
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every benchmark runs, even after one misses its target; then any miss fails the target.
bench: $(VENV)/.installed-dev
	@failed=""; \
	for script in bench/bench_*.py; do \
		[ -e "$$script" ] || continue; \
		$(BIN)/python "$$script" || failed="$$failed $$script"; \
	done; \
	if [ -n "$$failed" ]; then echo "make bench: missed a target or failed:$$failed" >&2; exit 1; fi

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache .mypy_cache
