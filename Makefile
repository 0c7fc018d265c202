# Two commands: `make run` serves the demo, `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup clean lint chromium postgresql

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first and pinned: the CPU build on disk, never a multi-GB CUDA download.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/bridgematch serve --demo

test: $(STAMP) chromium postgresql
	$(PY) -m pytest -q

# The browser tests (tests/web) drive Debian's Chromium; installed here where apt can, else they skip and say so.
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

lint: $(STAMP)
	$(VENV)/bin/ruff check matching service models tests

clean:
	rm -rf var .pytest_cache
