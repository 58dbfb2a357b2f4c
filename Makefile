# Koordinator: `make run` sets up and starts the app on SQLite with demo data; `make test` runs
# every test. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KOORDINATOR_INSTANCE ?= $(CURDIR)/instance

.PHONY: help setup run test test-fast lint bench checkdb clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

setup: $(STAMP) ## create the virtual environment and install everything

run: setup ## migrate SQLite, deploy the standard process, start the scheduler
	$(BIN)/koordinator db upgrade
	$(BIN)/koordinator deploy processes/standard --kommune demo --note "standard process" \
	  --if-changed
	@echo
	@echo "The scheduler runs below. In another terminal, drive a case (see README):"
	@echo "  $(BIN)/koordinator case start --kommune demo"
	@echo "  $(BIN)/koordinator task complete TASK_ID --data '{...}'"
	@echo "  $(BIN)/koordinator case show CASE_ID"
	@echo
	$(BIN)/koordinator scheduler --interval 5

test: setup ## run every test (PostgreSQL tests too when a server can be started)
	$(BIN)/python -m pytest -q

test-fast: setup ## the tests without the slow and PostgreSQL ones
	$(BIN)/python -m pytest -q -m "not slow and not postgres"

lint: setup ## ruff
	$(BIN)/python -m ruff check engine tests

bench: setup ## the engine benchmark (figures in the README)
	$(BIN)/koordinator bench --cases 200 --json

checkdb: setup ## migrate a scratch SQLite database from zero
	$(BIN)/koordinator --database-url sqlite:///$(KOORDINATOR_INSTANCE)/check.db db upgrade

clean: ## remove the virtual environment and the instance folder
	rm -rf $(VENV) instance
