# Two commands: `make run` serves the demo, `make test` runs the tests. Both set up .venv first
# (`run` with the service's dependencies only, `test` with the dev extras too).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two stamps: `make run` installs what the service needs (`.`), `make test` adds the dev extras
# (pytest, browsers' driver, PostgreSQL driver, Ray). The dev install is a superset, so it
# stamps both; either is redone when pyproject.toml changes.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test setup setup-dev clean lint chromium postgresql

setup: $(RUN_STAMP)
setup-dev: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(PY)
	# torch first and pinned: the CPU build on disk, never a multi-GB CUDA download.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(PY)
	# torch first and pinned: the CPU build on disk, never a multi-GB CUDA download.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	$(VENV)/bin/bridgematch serve --demo

test: $(DEV_STAMP) chromium postgresql
	$(PY) -m pytest -q

# The browser tests (tests/service/web) drive Debian's Chromium; installed here where apt can, else they skip and say so.
chromium:
	@test -x /usr/bin/chromium || ! command -v apt-get >/dev/null 2>&1 || \
	  (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq chromium >/dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1) || \
	  echo "note: could not install chromium with apt-get; the browser tests will be skipped"

# The PostgreSQL tests start a throw-away cluster (tests/pg.py) with initdb and pg_ctl, which Debian
# keeps in /usr/lib/postgresql/<version>/bin; installed here where apt can, else they skip and say so.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  ! command -v apt-get >/dev/null 2>&1 || \
	  (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq postgresql >/dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null 2>&1) || \
	  echo "note: could not install postgresql with apt-get; the PostgreSQL tests will be skipped"

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check matching service models tests bench

clean:
	rm -rf var .pytest_cache
