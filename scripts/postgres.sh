# A throwaway PostgreSQL server on loopback, for tests and benchmarks. Source this file, then:
#   start_postgres   # sets PG_URL (the server's maintenance database), PG_PORT and PG_DIR
#   stop_postgres
# PG_PORT set by the caller: that port only. Unset: a port the kernel says is free, tried up to five times. The
# fixed port of before (55432) lies in Linux's range for outgoing connections (32768-60999), and once it was taken
# when the PostgreSQL stage began ("could not bind IPv4 address 127.0.0.1: Address already in use"; whatever held
# it had gone when looked for).

_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  local bin port tries
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_BIN="$bin"
  PG_DIR=$(mktemp -d)
  chown postgres: "$PG_DIR"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  tries=5
  [ -n "${PG_PORT:-}" ] && tries=1
  for _ in $(seq "$tries"); do
    port="${PG_PORT:-$(_free_port)}"
    if runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c max_connections=200" start >/dev/null; then
      PG_PORT="$port"
      PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
      export PG_URL PG_DIR PG_BIN PG_PORT
      return 0
    fi
  done
  echo "PostgreSQL did not start; its log:" >&2
  tail -n 20 "$PG_DIR/log" >&2
  rm -rf "$PG_DIR"
  return 1
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
