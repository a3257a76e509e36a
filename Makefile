# The two commands of the README's Quick start are `make run` and `make test`;
# each sets up everything it needs (virtualenv, packages, database) itself.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup db run serve-prod bench bench-postgres test test-sqlite test-postgres lint check browser gettext messages clean

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

lint: setup  ## ruff, the import layers (import-linter's contracts in pyproject.toml), the migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

check: db  ## report stated totals vs listed participations, uncited facts, ...
	$(PY) manage.py check_registry

browser:  ## Debian's Chromium for the browser tests (installed when missing; needs root)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

gettext:  ## GNU gettext, for `make messages` and the catalogue test (installed when missing; needs root)
	@command -v xgettext >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

messages: setup gettext  ## regenerate the fr/es catalogues from the marked strings, then compile them
	$(PY) manage.py makemessages -l fr -l es --no-obsolete --ignore=.venv --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

BENCH_100X := sqlite:///$(CURDIR)/bench-100x.sqlite3
BENCH_ARGS ?= --seconds 5
# Each data set twice: with the response cache (as served) and without (every answer built anew).
BENCH_BOTH = $(PY) manage.py bench $(BENCH_ARGS) --label "$(1), response cache on" && \
	$(PY) manage.py bench $(BENCH_ARGS) --no-cache --label "$(1), response cache off"

bench: db  ## p50/p95 and req/s under gunicorn + wrk: the real data, then 100x synthetic data (SQLite)
	$(call BENCH_BOTH,real data / SQLite)
	test -f bench-100x.sqlite3 || { export DATABASE_URL=$(BENCH_100X) && $(PY) manage.py migrate -v0 && \
	    $(PY) manage.py seed >/dev/null && $(PY) manage.py synthesize --factor 100; }
	DATABASE_URL=$(BENCH_100X) $(PY) manage.py migrate -v0
	export DATABASE_URL=$(BENCH_100X) && $(call BENCH_BOTH,100x synthetic data / SQLite)

bench-postgres: setup  ## the same on a throwaway PostgreSQL server (installed when missing; needs root)
	tests/with_postgres.sh sh -c '$(PY) manage.py migrate -v0 && $(PY) manage.py seed >/dev/null && \
	    $(call BENCH_BOTH,real data / PostgreSQL) && $(PY) manage.py synthesize --factor 100 && \
	    $(call BENCH_BOTH,100x synthetic data / PostgreSQL)'

test: test-sqlite test-postgres  ## the whole test suite, on SQLite and on PostgreSQL

test-sqlite: setup lint browser gettext
	$(VENV)/bin/pytest

test-postgres: setup browser gettext  ## on a throwaway PostgreSQL server (installed when missing; needs root)
	tests/with_postgres.sh $(VENV)/bin/pytest -p no:cacheprovider

serve-prod: db  ## gunicorn with production settings, static files by whitenoise
	export DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	    SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	exec $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind $(HOST):$(PORT)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache test-artifacts
