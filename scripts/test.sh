#!/usr/bin/env bash
# Runs the whole suite: unit, web and browser tests on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/translations.py --check
.venv/bin/python -m pytest "$@"
