# Childcare CMS: `make run` to try it, `make test` to check it. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
FRONTEND_PORT ?= 3000
CMS_URL ?= http://127.0.0.1:$(PORT)
FRONTEND_URL ?= http://127.0.0.1:$(FRONTEND_PORT)
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install graphiql clients-install clients migrate demo run serve bench test test-fast frontend lint format schema messages check ci clean bench-search

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install the dependencies

GRAPHIQL := cms/api/graphiql
GRAPHIQL_STATIC := cms/api/static/graphiql
# npm path → name under /static/graphiql/ (cms/api/templates/graphene/graphiql.html)
GRAPHIQL_FILES := graphiql/graphiql.min.js:graphiql.min.js graphiql/graphiql.min.css:graphiql.min.css \
	@graphiql/plugin-explorer/dist/graphiql-plugin-explorer.umd.js:graphiql-plugin-explorer.umd.js \
	@graphiql/plugin-explorer/dist/style.css:plugin-explorer.css \
	react/umd/react.production.min.js:react.production.min.js \
	react-dom/umd/react-dom.production.min.js:react-dom.production.min.js \
	graphql-ws/umd/graphql-ws.min.js:graphql-ws.min.js whatwg-fetch/dist/fetch.umd.js:fetch.umd.js

# GraphiQL's browser files from npm (pinned, integrity-checked by the page), served from
# /static/ rather than a CDN. Without npm, `make run` goes on without GraphiQL.
$(GRAPHIQL_STATIC)/.installed: $(GRAPHIQL)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(GRAPHIQL) --no-audit --no-fund --loglevel=error --legacy-peer-deps && \
		mkdir -p $(GRAPHIQL_STATIC) && \
		for pair in $(GRAPHIQL_FILES); do \
			cp "$(GRAPHIQL)/node_modules/$${pair%%:*}" "$(GRAPHIQL_STATIC)/$${pair##*:}" || exit 1; \
		done && touch $@; \
	else echo "npm not found: GraphiQL's files are not installed (the API works without them)."; fi

graphiql: $(GRAPHIQL_STATIC)/.installed ## GraphiQL's files from npm into cms/api/static/graphiql/ (no CDN)

CLIENTS := tests/clients

# Node 20+ and npm: Apollo Client 3 and 4, graphql-http, GraphQL Code Generator, tsc.
$(CLIENTS)/node_modules/.installed: $(CLIENTS)/package-lock.json
	npm ci --prefix $(CLIENTS) --no-audit --no-fund --loglevel=error
	touch $@

clients-install: $(CLIENTS)/node_modules/.installed ## Install the client tests' Node packages (npm ci)

clients: clients-install ## Types from schema.graphql (GraphQL Code Generator), the typed client example under tsc --strict
	npm --prefix $(CLIENTS) run --silent typed-client

migrate: install ## Apply database migrations (SQLite under var/ unless DATABASE_URL is set)
	@mkdir -p var
	$(MANAGE) ensure_database
	$(MANAGE) migrate --noinput

demo: migrate ## Load the seed content and ensure the 'admin' account (both idempotent)
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_admin

# The reference front end runs beside the CMS so that Preview and "View live" show pages
# (the CMS renders none); staff mails link to this PORT.
run: demo graphiql ## Set up, load the demo content, start the task worker, the reference front end (FRONTEND_PORT) and serve on HOST:PORT
	@trap 'kill 0' EXIT INT TERM; \
	export WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-$(CMS_URL)}"; \
	export CMS_FRONTEND_URL="$${CMS_FRONTEND_URL:-$(FRONTEND_URL)}"; \
	$(MANAGE) start_scheduler; \
	$(MANAGE) db_worker --backend durable & \
	$(BIN)/python frontend/serve.py --host $(HOST) --port $(FRONTEND_PORT) --cms $(CMS_URL) & \
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install ## Production server: gunicorn (WEB_WORKERS), WhiteNoise, persistent DB connections
	$(MANAGE) collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-settings.production} \
	DB_CONN_MAX_AGE=$${DB_CONN_MAX_AGE:-600} HOST=$(HOST) PORT=$(PORT) \
	$(BIN)/gunicorn -c gunicorn.conf.py cms.wsgi

bench: install ## Benchmark against Wagtail's API v2 and a static file (PostgreSQL, Redis, wrk)
	$(BIN)/python benchmarks/run.py

test: install clients-install graphiql ## Set up (Chromium from Debian's packages, the Node clients), run the whole suite
	bash .ci/ensure-chromium
	$(BIN)/pytest --ignore=tests/browser
	$(BIN)/pytest tests/browser

test-fast: install ## The suite without the tests marked slow and the browser tests (under 2 minutes)
	$(BIN)/pytest -m "not slow" --ignore=tests/browser

frontend: ## Serve the reference front end on FRONTEND_PORT (3000) for the CMS at CMS_URL
	python3 frontend/serve.py --host $(HOST) --port $(FRONTEND_PORT) --cms $(CMS_URL)

lint: install ## ruff check and format check, the layers' import contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: install ## Export the GraphQL schema to schema.graphql (a test fails when it drifts)
	$(MANAGE) graphql_schema --schema cms.schema.schema --out schema.graphql

messages: install ## Update and compile the Simplified Chinese translations in locale/
	$(MANAGE) makemessages -l zh_Hans --ignore=".venv/*" --ignore="var/*" --ignore="tests/*"
	$(MANAGE) compilemessages -l zh_Hans --ignore=".venv/*"

check: install ## Django checks and missing migrations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# `make bench` reads BENCH_DATABASE_URL (PostgreSQL); the search benchmark has its own.
BENCH_SEARCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench-search.sqlite3
BENCH_SEARCH_SIZES ?= 1000,10000

bench-search: install ## Search benchmark: precision@5, recall, latency at 1k and 10k articles
	@mkdir -p var
	rm -f var/bench-search.sqlite3
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_SEARCH_DATABASE_URL)} \
	$(BIN)/python benchmarks/search_bench.py --sizes $(BENCH_SEARCH_SIZES)

ci: ## What CI runs: tests on SQLite and PostgreSQL, deploy checks, migrations, ruff
	bash .ci/run

clean: ## Remove .venv and var/ (the SQLite database and uploaded media)
	rm -rf $(VENV) var
