# One task runner for developers and CI. Only python3 (3.11+) and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Dev mode for local commands; the production defaults apply everywhere else.
DEV := TRIAGE_ENV=dev

# The production server command; the Dockerfile and docker-compose.yml run exactly this.
# No gunicorn access log: it would print query strings; the app logs each request itself
# (one JSON line, with its id, never a query string: triage/request_log.py).
GUNICORN_CMD := gunicorn triage.wsgi:application --bind 0.0.0.0:8000 --workers 3

.PHONY: install run serve test lint format bench wrk fuzz load chromium stop-db clean-db backup restore \
	css lighthouse

$(INSTALLED): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is required (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $(INSTALLED)

install: $(INSTALLED)

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py demo_data
	@echo ""
	@echo "  Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it and the database; data is kept)"
	@echo "  Demo logins (password: triage-demo): nurse, physician, admin"
	@echo ""
	@# One process, no autoreloader: on Ctrl-C the reloader would kill its child before the
	@# child could stop the embedded database, leaving it running. Restart after a code change.
	$(DEV) $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Production-style serving (needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment).
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/$(GUNICORN_CMD)

# Browser tests use the system Chromium; install it when it is missing (Debian/Ubuntu).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		echo "Installing the system Chromium for the browser tests..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

test: install chromium
	$(DEV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Bootstrap's stylesheet trimmed to the selectors the product uses (purgecss.config.mjs), into
# static/vendor/bootstrap-5.3.9/bootstrap.trimmed.min.css, which is committed: `make test`, `make
# run` and the image never need Node.js. Rerun it, and commit the result, after using a Bootstrap
# class that no template, script or form used before (tests/foundation/test_trimmed_css.py
# fails until you do), or after upgrading Bootstrap or crispy-bootstrap5. Needs Node.js and npm.
css: install
	npm ci --no-audit --no-fund
	SITE_PACKAGES="$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
		npx --no-install purgecss --config purgecss.config.mjs

# Every bench runs, then the target fails if any of them missed a budget. bench_pages serves
# the product with GUNICORN_CMD and drives each page type with wrk (bench/results.md); then
# Lighthouse (below). Needs Node.js and npm for Lighthouse.
bench: install wrk chromium
	npm ci --no-audit --no-fund
	@status=0; \
	$(DEV) $(BIN)/python bench/bench_assess.py || status=1; \
	$(DEV) $(BIN)/python bench/bench_queue.py || status=1; \
	$(DEV) $(BIN)/python bench/bench_fhir.py || status=1; \
	GUNICORN_CMD="$(GUNICORN_CMD)" $(BIN)/python bench/bench_pages.py || status=1; \
	GUNICORN_CMD="$(GUNICORN_CMD)" $(BIN)/python bench/lighthouse.py || status=1; \
	exit $$status

# The HTTP load generator of `make bench`, from the system's packages (Debian/Ubuntu).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk for make bench..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }

# The embedded database (used without DATABASE_URL; TRIAGE_PGDATA names its folder).
# Ctrl-C on `make run` stops it with the last process using it; stop-db stops it explicitly.
stop-db: install
	@$(DEV) $(BIN)/python manage.py embedded_db stop

# Deletes the embedded database's files; refuses while its server runs or a process uses it.
clean-db: install
	@$(DEV) $(BIN)/python manage.py embedded_db clean

# A pg_dump (custom format) of the database into backups/, named by the time it was taken.
backup: install
	@$(DEV) $(BIN)/python manage.py backup --folder backups

# Replaces the database with a backup, after a confirmation: make restore FILE=backups/....dump
restore: install
	@test -n "$(FILE)" || { echo "Say which backup to restore: make restore FILE=backups/<name>.dump"; exit 2; }
	@$(DEV) $(BIN)/python manage.py restore "$(FILE)"

# Long runs, never part of `make test` or CI. Each serves the product with GUNICORN_CMD on
# 127.0.0.1 (a free port) from an embedded database of its own (.pgdata-fuzz/, .pgdata-load/).
# fuzz: many more generated requests than `make test`, then schemathesis against the served
# OpenAPI document; exits non-zero on any server error or schema violation.
fuzz: install
	$(DEV) HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/hardening/test_fuzz.py -q -p no:logging
	GUNICORN_CMD="$(GUNICORN_CMD)" $(BIN)/python bench/fuzz_api.py

# lighthouse: Lighthouse's mobile profile on the symptoms step and a result page, served as for
# load (production settings, .pgdata-lighthouse/), three runs each; prints the median run's
# figures and exits non-zero when one misses its target (performance >= 95, accessibility 100,
# LCP <= 1.5 s, TBT <= 50 ms, CLS 0). Needs Node.js and npm; drives the system Chromium.
lighthouse: install chromium
	npm ci --no-audit --no-fund
	GUNICORN_CMD="$(GUNICORN_CMD)" $(BIN)/python bench/lighthouse.py

# load: locust, 40 users for LOAD_TIME (default 2m) against production-like settings; prints
# the 95th percentile and exits non-zero on any failed request.
LOAD_TIME ?= 2m
load: install
	GUNICORN_CMD="$(GUNICORN_CMD)" LOAD_TIME=$(LOAD_TIME) $(BIN)/python bench/load.py
