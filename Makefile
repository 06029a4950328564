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

# gift-pegjs, the independent GIFT parser the export tests read our GIFT with, pinned
# in tests/tools/gift/package-lock.json. Without npm those tests are skipped (or fail,
# if node is there: then npm is missing).
GIFT_TOOL := tests/tools/gift
$(GIFT_TOOL)/node_modules/.package-lock.json: $(GIFT_TOOL)/package.json $(GIFT_TOOL)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(GIFT_TOOL) && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "make: npm not found: the gift-pegjs export tests cannot run"; \
	fi

# oidc-provider, the certified OpenID provider the sign-in tests start with Node, pinned in
# tests/tools/oidc/package-lock.json. Without npm those tests are skipped (failed in CI).
OIDC_TOOL := tests/tools/oidc
$(OIDC_TOOL)/node_modules/.package-lock.json: $(OIDC_TOOL)/package.json $(OIDC_TOOL)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(OIDC_TOOL) && npm ci --no-audit --no-fund --loglevel=error; \
	else \
		echo "make: npm not found: the OpenID Connect sign-in tests cannot run"; \
	fi

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

test: $(VENV)/.installed-dev $(COMPILED) $(GIFT_TOOL)/node_modules/.package-lock.json \
		$(OIDC_TOOL)/node_modules/.package-lock.json
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
