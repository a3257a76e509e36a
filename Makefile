# The two commands of the README's Quick start are `make run` and `make test`;
# each sets up everything it needs (virtualenv, packages, database) itself.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup db run serve-prod test test-sqlite test-postgres lint check browser clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,postgres]"
	touch $@

setup: $(VENV)/.installed

db: setup  ## migrate and load the curated data (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_groups
	$(PY) manage.py seed

run: db  ## serve the registry with the fixtures loaded
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

check: db  ## report stated totals vs listed participations, uncited facts, ...
	$(PY) manage.py check_registry

browser:  ## Debian's Chromium for the browser tests (installed when missing; needs root)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: test-sqlite test-postgres  ## the whole test suite, on SQLite and on PostgreSQL

test-sqlite: setup lint browser
	$(VENV)/bin/pytest

test-postgres: setup browser  ## on a throwaway PostgreSQL server (installed when missing; needs root)
	tests/with_postgres.sh $(VENV)/bin/pytest -p no:cacheprovider

serve-prod: db  ## gunicorn with production settings, static files by whitenoise
	export DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	    SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	exec $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind $(HOST):$(PORT)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache test-artifacts
