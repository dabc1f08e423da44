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

.PHONY: install run serve test lint format bench chromium clean-db

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
	@echo "  Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop; data is kept in .pgdata/)"
	@echo "  Demo logins (password: triage-demo): nurse, physician, admin"
	@echo ""
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

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

bench: install
	$(DEV) $(BIN)/python bench/bench_assess.py
	$(DEV) $(BIN)/python bench/bench_queue.py

# Stops nothing and deletes the embedded database's files: only when no command is running.
clean-db:
	rm -rf .pgdata
