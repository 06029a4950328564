# Clausewise: `make run` sets everything up and serves the app; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run setup test lint format translations catalogues bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The compiled catalogues (messages.mo beside each messages.po) are not in git: every
# target that runs the app builds them first, again whenever a .po is newer.
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

# pybabel skips a catalogue whose header is marked fuzzy, and English would then be shown
# without a word: fail instead.
$(COMPILED): %.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@
	@test -f $@ || { echo "make: $< was not compiled (is its header marked fuzzy?)" >&2; exit 1; }
	@touch $@

setup: $(VENV)/.installed $(COMPILED)
	$(BIN)/flask --app wsgi setup
	$(BIN)/flask --app wsgi demo seed
	$(BIN)/flask --app wsgi readiness rebuild

run: setup
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev $(COMPILED)
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

catalogues: $(COMPILED)

# Extract every marked string into the template, update the catalogues there are
# (app/translations/<locale>/LC_MESSAGES/messages.po; Simplified Chinese is zh_Hans),
# then compile them. The keywords are in babel.cfg too; they are repeated for Babel
# releases that ignore them there.
POT := app/translations/messages.pot
translations: $(VENV)/.installed
	mkdir -p app/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ \
		--project Clausewise --no-wrap -o $(POT) .
	@if ls app/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update --no-wrap -i $(POT) -d app/translations && \
		$(BIN)/pybabel compile --statistics -d app/translations; \
	else \
		echo "make translations: no catalogue yet; start one with" \
			"$(BIN)/pybabel init --no-wrap -i $(POT) -d app/translations -l zh_Hans"; \
	fi

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
