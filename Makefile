# Routine tasks. `make run` and `make test` work on a fresh machine with Python 3.11+, Node 20+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run test bench lint format check migrate messages makemessages static seed worker beat clean

help:
	@echo "make run    - set everything up and serve http://$(HOST):$(PORT) with a Celery worker and beat"
	@echo "make test   - set up and run lint, Django checks, migration check and the test suite"
	@echo "make bench  - seed the province-scale data once and measure pages, queries and the sweep (docs/PERFORMANCE.md)"
	@echo "make lint | format | migrate | messages | makemessages | static | seed | worker | beat | clean"

# --- set-up, each step redone only when its inputs change ---------------------------------------
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.copied: node_modules/.installed scripts/copy_vendor.sh
	scripts/copy_vendor.sh
	touch $@

static: static/vendor/.copied

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=static/vendor \
		--ignore=var --ignore=tests --no-obsolete --no-wrap

setup: $(VENV)/.installed static messages

migrate: setup
	$(PY) manage.py migrate --noinput -v 1

seed: migrate
	$(PY) manage.py seed_demo

# --- the two commands ----------------------------------------------------------------------------
run: seed
	@echo "Starting the Celery worker (with beat) and the web server at http://$(HOST):$(PORT)/"
	@echo "Admin: http://$(HOST):$(PORT)/admin/   Health: http://$(HOST):$(PORT)/healthz   Stop with Ctrl-C."
	@mkdir -p var/log
	@$(PY) -m celery -A congress worker --beat --loglevel=INFO --concurrency=2 \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler --schedule=var/celerybeat-schedule \
		--logfile=var/log/worker.log & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite builds its database from the models (--nomigrations, seconds instead of minutes per
# worker); scripts/migrate_check.sh applies every migration to an empty database alongside it
# (CI: the PostgreSQL database of DATABASE_URL; locally a scratch SQLite file), and the run fails
# if that fails. `make check` proves the migrations match the models.
# The suite runs on TEST_WORKERS processes (pytest-xdist; `auto` = one per core, 0 = in this process).
test: setup lint check
	@scripts/migrate_check.sh start
	@$(PY) -m pytest -q -n $(TEST_WORKERS); status=$$?; scripts/migrate_check.sh wait || status=1; exit $$status

# Performance at province scale: bench/run.sh (BENCH_SIZE=full|small|smoke, BENCH_DATABASE_URL, BENCH_RESEED=1).
bench: setup
	bench/run.sh

# --- pieces ------------------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(VENV)/.installed
	DJANGO_ENV=test $(PY) manage.py check
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run

worker: $(VENV)/.installed
	$(PY) -m celery -A congress worker --loglevel=INFO

beat: $(VENV)/.installed
	$(PY) -m celery -A congress beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

clean:
	rm -rf var/celery var/staticfiles static/vendor node_modules/.installed $(VENV)/.installed
