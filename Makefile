# The two commands of the README's Quick start are `make run` and `make test`;
# each sets up everything it needs (virtualenv, packages, database) itself.

# The newest supported Python found (on PATH, then among pyenv's versions); PYTHON=... overrides.
find_python = $(firstword $(foreach v,$(1),$(shell for p in $$(command -v python$(v)) \
    $$HOME/.pyenv/versions/$(v)*/bin/python$(v); do "$$p" -c '' 2>/dev/null && { echo "$$p"; break; }; done)))
PYTHON ?= $(call find_python,3.13 3.12 3.11)
# The PostgreSQL suite runs on the oldest supported Python found, so `make test` covers both ends.
PYTHON_OLDEST ?= $(call find_python,3.11 3.12 3.13)
VENV ?= .venv
VENV_OLDEST ?= $(if $(filter $(PYTHON),$(PYTHON_OLDEST)),$(VENV),.venv-oldest)
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Packages come from uv.lock (every version pinned, with hashes, for Python 3.11 to 3.13), installed
# by uv, itself installed into .tools/. `make lock` updates the lock after pyproject.toml changes.
UV := .tools/bin/uv
SYNC = UV_PROJECT_ENVIRONMENT=$(1) UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --inexact --quiet --python $(2)

.DEFAULT_GOAL := help
.PHONY: help setup serve-setup db run serve-prod serve-proxy backup bench bench-pages bench-curation bench-webhooks bench-postgres test test-sqlite test-postgres lint check \
	browser axe gettext services messages lock clean

help:  ## this list: each target and what it does
	@echo "make run    serve the registry on http://$(HOST):$(PORT)/ (PORT=8080 make run for another port)"
	@echo "make test   the whole suite (as root: it installs Chromium, Node, gettext, PostgreSQL when missing)"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | \
	    awk -F'\t' '{ printf "  %-16s %s\n", $$1, $$2 }'

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.11, 3.12 or 3.13 is needed (none found; set PYTHON=...)." >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.9,<0.14"

# What serving needs (make run, make serve-prod): the application and the PostgreSQL driver.
$(VENV)/.serve: uv.lock pyproject.toml | $(UV)
	$(call SYNC,$(VENV),$(PYTHON)) --extra postgres
	touch $@

# Everything, the test tools included (make test).
$(VENV)/.dev: uv.lock pyproject.toml | $(UV)
	$(call SYNC,$(VENV),$(PYTHON)) --extra postgres --extra dev
	touch $(VENV)/.serve $@

$(VENV_OLDEST)/.dev: uv.lock pyproject.toml | $(UV)
	$(call SYNC,$(VENV_OLDEST),$(PYTHON_OLDEST)) --extra postgres --extra dev
	touch $@

serve-setup: $(VENV)/.serve
setup: $(VENV)/.dev

lock: | $(UV)  ## update uv.lock after changing the dependencies in pyproject.toml
	UV_PYTHON_DOWNLOADS=never $(UV) lock --python $(PYTHON)

db: serve-setup  ## migrate and load the curated data (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_groups
	$(PY) manage.py seed

run: db  ## serve the registry with the fixtures loaded (and deliver its webhooks next to it)
	export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py deliver_webhooks & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: setup  ## ruff, declared dependencies (deptry), the import layers (import-linter), the migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/deptry .
	$(VENV)/bin/deptry tests --exclude node_modules --ignore DEP002,DEP004
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

backup: serve-setup  ## a consistent copy of the registry while it serves (manage.py backup; restore: docs/deployment.md)
	$(PY) manage.py backup

check: db  ## report stated totals vs listed participations, uncited facts, ...
	$(PY) manage.py check_registry

services:  ## Debian's redis-server and nginx for the serving tests (installed when missing; needs root)
	@command -v redis-server >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx-light >/dev/null; }

browser:  ## Debian's Chromium for the browser tests (installed when missing; needs root)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)  ## axe-core for the browser tests' accessibility checks (npm ci; Node installed when missing; needs root)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

gettext:  ## GNU gettext, for `make messages` and the catalogue test (installed when missing; needs root)
	@command -v xgettext >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

messages: setup gettext  ## regenerate the fr/es catalogues from the marked strings, then compile them
	$(PY) manage.py makemessages -l fr -l es --no-obsolete --ignore=.venv --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.venv-oldest

BENCH_100X := sqlite:///$(CURDIR)/bench-100x.sqlite3
BENCH_ARGS ?= --seconds 5
# Each data set three times: with the response cache (as served), without (every answer built
# anew), and with the cache while a curator's client sends 10 API writes a second.
BENCH_ALL = $(PY) manage.py bench $(BENCH_ARGS) --label "$(1), response cache on" && \
	$(PY) manage.py bench $(BENCH_ARGS) --no-cache --label "$(1), response cache off" && \
	$(PY) manage.py bench $(BENCH_ARGS) --writes 10 --label "$(1), 10 API writes a second"

bench: db  ## p50/p95 and req/s under gunicorn + wrk: the real data, then 100x synthetic data (SQLite)
	$(call BENCH_ALL,real data / SQLite)
	test -f bench-100x.sqlite3 || { export DATABASE_URL=$(BENCH_100X) && $(PY) manage.py migrate -v0 && \
	    $(PY) manage.py seed >/dev/null && $(PY) manage.py synthesize --factor 100; }
	DATABASE_URL=$(BENCH_100X) $(PY) manage.py migrate -v0
	export DATABASE_URL=$(BENCH_100X) && $(call BENCH_ALL,100x synthetic data / SQLite)

bench-pages: db  ## every page and endpoint alone and uncached (the first request after a write), real and 100x data
	$(PY) manage.py bench_pages --runs 5
	test -f bench-100x.sqlite3 || { export DATABASE_URL=$(BENCH_100X) && $(PY) manage.py migrate -v0 && \
	    $(PY) manage.py seed >/dev/null && $(PY) manage.py synthesize --factor 100; }
	DATABASE_URL=$(BENCH_100X) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_100X) $(PY) manage.py bench_pages --runs 5

bench-curation: db  ## what curators wait for: the process page, a row saved, a 50-name account (rolled back)
	$(PY) manage.py bench_curation --runs 20

bench-webhooks: db  ## 1,000 changes to local webhook receivers, and write latency with 3 subscriptions (rolled back)
	$(PY) manage.py bench_webhooks --changes 1000 --writes 200

bench-postgres: setup  ## the same on a throwaway PostgreSQL server (installed when missing; needs root)
	tests/with_postgres.sh sh -c '$(PY) manage.py migrate -v0 && $(PY) manage.py seed >/dev/null && \
	    $(PY) manage.py bench_pages --runs 5 && \
	    $(call BENCH_ALL,real data / PostgreSQL) && $(PY) manage.py synthesize --factor 100 && \
	    $(PY) manage.py bench_pages --runs 5 && \
	    $(call BENCH_ALL,100x synthetic data / PostgreSQL)'

test: test-sqlite test-postgres  ## the whole test suite, on SQLite and on PostgreSQL

# pytest-xdist: the tests on every core (a worker per core, each with its own test database).
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadgroup

test-sqlite: setup lint browser axe gettext services  ## on the newest Python found
	@$(PY) --version
	$(VENV)/bin/pytest $(PYTEST_PARALLEL)

test-postgres: $(VENV_OLDEST)/.dev browser axe gettext services  ## on a throwaway PostgreSQL server and the oldest Python found
	@$(VENV_OLDEST)/bin/python --version
	tests/with_postgres.sh $(VENV_OLDEST)/bin/pytest -p no:cacheprovider $(PYTEST_PARALLEL)

# Production settings for a run on this machine (serve-prod, serve-proxy): a throwaway SECRET_KEY
# unless one is set, plain HTTP unless SECURE_SSL_REDIRECT is set.
PROD_ENV = export DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
	    SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	{ $(PY) manage.py deliver_webhooks & worker=$$!; } && trap 'kill $$worker 2>/dev/null' EXIT INT TERM

serve-prod: db  ## gunicorn with production settings, static files by whitenoise
	$(PROD_ENV) && $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind $(HOST):$(PORT)

UPSTREAM_PORT ?= 8001
serve-proxy: db services  ## the same behind nginx on $(HOST):$(PORT) (buffering, gzip, static files; gunicorn on UPSTREAM_PORT)
	$(PROD_ENV) && export TRUSTED_PROXIES=1 && \
	conf=$$($(PY) manage.py nginx_config --listen $(HOST):$(PORT) --upstream 127.0.0.1:$(UPSTREAM_PORT)) && \
	{ $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind 127.0.0.1:$(UPSTREAM_PORT) & app=$$!; } && \
	trap 'kill $$worker $$app 2>/dev/null' EXIT INT TERM && \
	$$(command -v nginx || echo /usr/sbin/nginx) -p $$(dirname $$conf) -c $$conf -e stderr -g 'daemon off;'

clean:  ## remove the virtualenvs, the tools, the database and the test artifacts
	rm -rf $(VENV) .venv-oldest .tools db.sqlite3 .pytest_cache test-artifacts tests/browser/node_modules
