#!/usr/bin/env bash
# `make run`: the demonstration care provider (`pgo sandbox`) in the background beside `pgo serve`.
# The sandbox stops when serve stops (Ctrl+C, an error, or a signal to this script).
set -euo pipefail
PGO=${PGO:-.venv/bin/pgo}
PGO_PORT=${PGO_PORT:-5000}
SANDBOX_PORT=${PGO_SANDBOX_PORT:-5001}

"$PGO" sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" \
  --redirect-uri "http://127.0.0.1:$PGO_PORT/records/providers/callback" \
  --redirect-uri "http://localhost:$PGO_PORT/records/providers/callback" >/dev/null 2>&1 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

echo "Demo care provider (sandbox) on http://127.0.0.1:$SANDBOX_PORT/ : sign in there as johan (or jo), password: sandbox"
echo "In pgo: sign in as patient@demo.pgo (password: demo-wachtwoord), then Add records > Connect a care provider."
export PGO_SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT" PGO_SECURE_COOKIES=0
"$PGO" serve --demo --host 127.0.0.1 --port "$PGO_PORT"
