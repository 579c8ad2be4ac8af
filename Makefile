# The README's two commands: `make run` and `make test`. Both set everything up from a clean clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PGO := $(VENV)/bin/pgo
STAMP := $(VENV)/.installed
PGO_PORT ?= 5000

.PHONY: install system-packages run test lint format translations bench screens clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)
	$(PY) scripts/translations.py --compile
	$(PY) scripts/offline_data.py

system-packages:
	@# node and npm: the provider interop test runs oidc-provider from the npm registry as an authorization server (#24)
	@if ! command -v chromium >/dev/null || ! command -v espeak-ng >/dev/null || ! command -v npm >/dev/null \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium postgresql espeak-ng wrk $$(command -v npm >/dev/null || echo nodejs npm) >/dev/null; \
	fi

run: install system-packages
	PGO=$(PGO) PGO_PORT=$(PGO_PORT) bash scripts/run_with_sandbox.sh

test: install system-packages lint
	bash scripts/test.sh

lint:
	$(VENV)/bin/ruff check pgo tests scripts benchmarks
	$(VENV)/bin/ruff format --check pgo tests scripts benchmarks

format:
	$(VENV)/bin/ruff check --fix pgo tests scripts benchmarks
	$(VENV)/bin/ruff format pgo tests scripts benchmarks

translations: $(STAMP)
	$(PY) scripts/translations.py

bench: install system-packages
	mkdir -p bench-results
	# the clinic of issue #22 on PostgreSQL too: a throwaway server on loopback, stopped when the bench ends
	source scripts/postgres.sh && start_postgres && trap stop_postgres EXIT && \
		PGO_BENCH_DATABASE_URL="$$PG_URL" $(PGO) bench --json bench-results/bench.json
	@echo; awk '/^## /{n++} n == 1' benchmarks/RESULTS.md  # the newest notes

screens: install system-packages
	$(PY) scripts/screens.py --out docs/screens

clean:
	rm -rf $(VENV) instance .pytest_cache

# Mutation testing (#23): mutmut over the modules where a wrong answer hurts a patient, in a copy of the project;
# prints the score per module and the surviving mutants. Slow, so not part of `make test`. Narrow it with e.g.
# make mutation MUTATION_ARGS='--modules pgo/measurements/thresholds.py' (see README, "For developers")
.PHONY: mutation
mutation: install
	$(PY) scripts/mutation.py $(MUTATION_ARGS)
