# Two commands do everything on a fresh machine:
#   make run    set up, generate demo data, load it, dbt build, print a summary (embedded DuckDB)
#   make test   set up, lint, and run the test suite (incl. a dbt build on generated data)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: help install pg-server browser run run-postgres build dagster docs report test test-slow lint bench bench-generate bench-identity bench-clv bench-sync clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/cdp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/cdp  ## create .venv and install the project with dev tools

run: install  ## main job (Dagster, in-process): demo data (if none) -> load -> dbt build -> syncs
	$(BIN)/cdp run

build: install  ## dbt build (refreshes the generated audiences macro first; invalid ones stop it)
	$(BIN)/cdp build

run-postgres: install pg-server  ## the main job on a project-local PostgreSQL (warehouse/postgres)
	eval "$$($(BIN)/cdp postgres start)" && $(BIN)/cdp run

dagster: install  ## Dagster UI (asset graph, checks, runs, schedules, sensor) at 127.0.0.1:3000
	DAGSTER_HOME=$(CURDIR)/dagster_home $(BIN)/dagster dev -m orchestration.definitions

docs: install  ## dbt docs (every model and column, lineage) at 127.0.0.1:8080
	$(BIN)/dbt docs generate --profiles-dir . --quiet
	$(BIN)/dbt docs serve --profiles-dir . --host 127.0.0.1 --port 8080 --no-browser

report: install  ## the customer-360 report from the warehouse: data/reports/index.html
	$(BIN)/cdp report

pg-server:  ## PostgreSQL server binaries for the postgres_table tests (apt-get when missing)
	scripts/ensure_postgres.sh

browser:  ## Chromium and ChromeDriver for the report's browser test (apt-get when missing)
	scripts/ensure_chromium.sh

test: install lint pg-server browser  ## lint, then the default test suite (slow scale checks excluded)
	$(BIN)/pytest -m "not slow" --durations=40

test-slow: install  ## scale checks (large generated data sets)
	$(BIN)/pytest -m slow

# sqlfluff's dbt templater opens the profile's warehouse: lint against an in-memory one.
lint: install  ## ruff (Python), sqlfluff (models, data tests), generated audiences macro current
	$(BIN)/ruff check .
	$(BIN)/cdp audiences compile --check
	CDP_DUCKDB_PATH=:memory: $(BIN)/sqlfluff lint models tests/data_tests --processes 2

bench: install  ## the CDP end to end at PERSONS (100000 by default; 300000, 1000000): bench/results/<date>-<size>.json
	$(BIN)/cdp bench --persons $(or $(PERSONS),100000)

bench-generate: install  ## time the generator at 1M persons
	$(BIN)/python bench/bench_generate.py --persons 1000000 --out /tmp/cdp_bench

bench-identity: install  ## time the identity stage against scipy (PERSONS=100000 by default)
	$(BIN)/python bench/bench_identity.py --persons $(or $(PERSONS),100000)

bench-clv: install  ## time the CLV fit (CUSTOMERS=1000000 by default; vs lifetimes if importable)
	$(BIN)/python bench/bench_clv.py --customers $(or $(CUSTOMERS),1000000)

bench-sync: install  ## reverse-ETL throughput to a loopback webhook (ROWS=1000000 by default)
	$(BIN)/python bench/bench_sync.py --rows $(or $(ROWS),1000000)

clean:  ## remove generated data, the warehouse and dbt artefacts
	rm -rf data warehouse target logs
