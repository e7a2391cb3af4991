# The targets CI runs are exactly these; see README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint typecheck demo serve bench bench-quick bench-national faults reference clean wrk

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup --durations=15

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

demo: $(STAMP)
	$(BIN)/werkmatch demo

serve: $(STAMP)
	$(BIN)/werkmatch serve

# Benchmarks and the PostgreSQL fault test: never part of `make test` (faults restart the
# shared PostgreSQL). `make bench` rewrites the tables of docs/benchmarks.md (~15 min).
bench: $(STAMP) wrk
	$(BIN)/python scripts/bench.py

bench-quick: $(STAMP) wrk
	$(BIN)/python scripts/bench.py --quick

# National proof (issue 25): 1M candidates, 100k vacancies in a fresh schema of the local
# PostgreSQL, a streaming replica on port 5433 (runs as root; the primary's pg_hba.conf must allow
# replication from 127.0.0.1, see docs/benchmarks.md), two
# HTTP workers, a killed import job; not part of `make test` or `make bench`. Smoke: --smoke.
bench-national: $(STAMP) wrk
	$(BIN)/python scripts/bench_national.py --postgres

# The HTTP load generator is Debian's wrk (never a download); installed when missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } \
		|| { echo "the HTTP benchmarks need Debian's wrk: apt-get install wrk"; exit 1; }

faults: $(STAMP)
	$(BIN)/python scripts/fault_postgres.py

reference: $(STAMP)
	$(BIN)/python scripts/build_reference.py --source ../shared/data --out matching/reference_data

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
