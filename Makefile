# PatentBridge developer entry points. The README shows only `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
ENGINE_VENV := .venv-engine
BIN := $(VENV)/bin
PY := $(BIN)/python
export PATENTBRIDGE_DATA_DIR ?= $(CURDIR)/var
PORT ?= 8000

.PHONY: demo test test-fast lint fmt typecheck test-engine test-sqlite test-postgres test-browser bench bench-import ci env sysdeps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[web,dev]'
	touch $@

$(ENGINE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(ENGINE_VENV)
	$(ENGINE_VENV)/bin/python -m pip install -q -e . pytest hypothesis
	touch $@

env: $(VENV)/.installed

## Debian packages: headless Chromium for the browser tests, CJK fonts for screenshots,
## and a PostgreSQL server when none answers on 127.0.0.1:5432.
sysdeps:
	@bash scripts/ensure_sysdeps.sh

demo: env
	$(BIN)/patentbridge init --demo
	$(BIN)/patentbridge serve --port $(PORT)

test: env sysdeps lint typecheck test-engine test-sqlite test-postgres test-browser
	@echo "make test: all suites passed"

ci: test

lint: env
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	bash scripts/check_engine_isolation.sh
	cd src && ../$(BIN)/lint-imports ../pyproject.toml
	$(PY) scripts/check_view_writes.py
	PATENTBRIDGE_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=patentbridge.settings $(BIN)/python -m django makemigrations --check --dry-run
	$(PY) scripts/gen_docs.py --check

## docs/cli.md and docs/configuration.md from the commands' help and the settings' declarations
## (`lint` fails while they are stale).
.PHONY: docs
docs: env
	$(PY) scripts/gen_docs.py

fmt: env
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

## mypy --strict: the engine at zero errors, the web package against mypy-baseline.txt (only shrinks).
typecheck: env
	$(PY) scripts/check_types.py

## The engine suite runs in its own environment without Django installed (boundary rule 1).
test-engine: $(ENGINE_VENV)/.installed
	$(ENGINE_VENV)/bin/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('django') is not None)"
	$(ENGINE_VENV)/bin/python -m pytest -q -p no:django tests/engine

WEB_TEST_ENV = DJANGO_SETTINGS_MODULE=patentbridge.settings PATENTBRIDGE_TASKS=immediate

test-sqlite: env
	tmp=$$(mktemp -d) && PATENTBRIDGE_DATABASE_URL= PATENTBRIDGE_DATA_DIR=$$tmp $(WEB_TEST_ENV) $(BIN)/pytest -q tests/web; \
	  status=$$?; rm -rf $$tmp; exit $$status

## Inner loop: the engine and web suites on SQLite, each spread over every core by pytest-xdist
## (pytest-django gives each worker its own test database file, test_db.sqlite3_gw0, _gw1, …; every
## web test has its own data directory). No lint, types, PostgreSQL or browser: `make test` has those.
## Both suites always run (a failing engine test does not hide the web results); the exit status is
## non-zero if either failed.
test-fast: env
	$(BIN)/pytest -q -n auto -p no:django tests/engine; engine=$$?; \
	  tmp=$$(mktemp -d) && PATENTBRIDGE_DATABASE_URL= PATENTBRIDGE_DATA_DIR=$$tmp $(WEB_TEST_ENV) $(BIN)/pytest -q -n auto tests/web; \
	  web=$$?; rm -rf $$tmp; exit $$(( engine || web ))

## A throwaway database per run: pytest-django creates test_patentbridge_ci_<pid> and drops it.
test-postgres: env sysdeps
	tmp=$$(mktemp -d) && PATENTBRIDGE_DATABASE_URL="$$(bash scripts/ensure_postgres.sh)/patentbridge_ci_$$$$" \
	  PATENTBRIDGE_DATA_DIR=$$tmp $(WEB_TEST_ENV) $(BIN)/pytest -q tests/web -p no:cacheprovider; \
	  status=$$?; rm -rf $$tmp; exit $$status

test-browser: env sysdeps
	tmp=$$(mktemp -d) && PATENTBRIDGE_DATABASE_URL= PATENTBRIDGE_DATA_DIR=$$tmp $(BIN)/pytest -q tests/browser -m browser; \
	  status=$$?; rm -rf $$tmp; exit $$status

bench: env
	$(PY) -m bench.eval_ipc_suggest
	$(PY) -m bench.eval.run --queries 1000
	$(PY) -m bench.import_bench --rows 100000

## Statistics at scale (SYNTHETIC corpus, SQLite and PostgreSQL): SIZE=20000 for a quick run.
SIZE ?= 1000000
.PHONY: bench-analytics
bench-analytics: env
	$(PY) -m bench.analytics.run --size $(SIZE)

clean:
	rm -rf $(VENV) $(ENGINE_VENV) var
