#!/usr/bin/env bash
# The whole suite: lint is done by make; here the translations check, then every test on SQLite (browser tests
# and the slow load and fault tests included), then the unit, web and load tests again on a throwaway PostgreSQL
# server on loopback (the load tests there run `pgo serve` with two workers against it).
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python scripts/translations.py --check

echo "== SQLite: unit, web and browser tests"
.venv/bin/python -m pytest "$@"

echo "== PostgreSQL: unit and web tests"
source scripts/postgres.sh
start_postgres
trap stop_postgres EXIT
PGO_TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -p no:randomly tests/unit tests/web tests/load "$@"
