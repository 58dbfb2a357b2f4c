# Koordinator: `make run` sets up and starts the app on SQLite with demo data; `make test` runs
# every test. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
export KOORDINATOR_INSTANCE ?= $(CURDIR)/instance

NPM_STAMP := node_modules/.koordinator-installed
VENDOR := web/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed

.PHONY: help setup vendor run test test-fast lint bench checkdb clean screenshots messages bench-api

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

# Front-end packages, exactly as package-lock.json pins them (npm runs again only when the lock
# file is newer than the stamp). No install scripts: only the prebuilt dist files are used.
$(NPM_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm" \
	  "(Debian: apt-get install nodejs npm), then run make setup again" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NPM_STAMP)

# The dist files the web app serves, copied into web/static/vendor/ (gitignored).
$(VENDOR_STAMP): $(NPM_STAMP) Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/dmn-js $(VENDOR)/htmx
	cp node_modules/bpmn-js/dist/bpmn-viewer.production.min.js \
	  node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js \
	  node_modules/bpmn-js/dist/bpmn-modeler.production.min.js $(VENDOR)/bpmn-js/
	cp -R node_modules/bpmn-js/dist/assets $(VENDOR)/bpmn-js/assets
	cp node_modules/dmn-js/dist/dmn-viewer.production.min.js \
	  node_modules/dmn-js/dist/dmn-navigated-viewer.production.min.js \
	  node_modules/dmn-js/dist/dmn-modeler.production.min.js $(VENDOR)/dmn-js/
	cp -R node_modules/dmn-js/dist/assets $(VENDOR)/dmn-js/assets
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/bpmn-js/LICENSE $(VENDOR)/bpmn-js/LICENSE
	cp node_modules/dmn-js/LICENSE $(VENDOR)/dmn-js/LICENSE
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx/LICENSE
	touch $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP) ## install the front-end packages (npm ci) into web/static/vendor/

setup: $(STAMP) $(VENDOR_STAMP) ## create the virtual environment and install everything
	@if [ -d web/translations ]; then $(BIN)/pybabel -q compile -d web/translations -f; fi

run: setup ## migrate SQLite, load the demo kommune, serve the app on http://127.0.0.1:5000/
	$(BIN)/koordinator db upgrade
	$(BIN)/koordinator deploy processes/standard --kommune demo --note "standard process" \
	  --if-changed
	$(BIN)/koordinator demo
	@echo
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in as kari.ke (coordinating unit) or"
	@echo "ola.koordinator (coordinator); the password of every demo user is demo1234."
	@echo
	$(BIN)/koordinator serve --port $(PORT) --interval 5

test: setup ## run every test (PostgreSQL tests too when a server can be started)
	$(BIN)/python -m pytest -q

test-fast: setup ## the tests without the slow and PostgreSQL ones
	$(BIN)/python -m pytest -q -m "not slow and not postgres"

lint: setup ## ruff
	$(BIN)/python -m ruff check engine tests $(wildcard web)

bench: setup ## the engine benchmark (figures in the README)
	$(BIN)/koordinator bench --cases 200 --json

messages: setup ## extract the UI texts and add new ones to the nb, nn and en catalogs
	$(BIN)/pybabel -q extract -F web/babel.cfg -k _ -k gettext -k lazy_gettext -o web/translations/messages.pot .
	$(BIN)/pybabel -q update -i web/translations/messages.pot -d web/translations --no-fuzzy-matching

bench-api: setup ## the web/API benchmark with 100,000 cases (figures in the README)
	$(BIN)/koordinator bench-api --json

screenshots: setup ## photograph the worklist and case page for the README (needs chromium)
	$(BIN)/python docs/screenshots.py

checkdb: setup ## migrate a scratch SQLite database from zero
	$(BIN)/koordinator --database-url sqlite:///$(KOORDINATOR_INSTANCE)/check.db db upgrade

clean: ## remove the virtual environment, the instance folder and the front-end packages
	rm -rf $(VENV) instance node_modules $(VENDOR)
