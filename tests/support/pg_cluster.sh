#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: `start STATE` runs initdb in a new temporary
# directory, starts the server on a free port on 127.0.0.1 (socket in that directory too)
# and writes its admin URL to STATE/url; `stop STATE` stops the server and removes the
# directory. ctest runs these as a FIXTURES_SETUP / FIXTURES_CLEANUP pair, so the cluster
# is stopped whether the tests pass or fail. When PostgreSQL is missing or does not start,
# `start` fails loudly and the tests that need the cluster are not run (ctest fails).
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

cmd="${1:-}"
state="${2:-}"
if [ -z "$cmd" ] || [ -z "$state" ]; then
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
fi

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && echo "$d"
  done | sort -V | tail -n 1
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  [ -f "$state/dir" ] || return 0
  local dir bin
  dir="$(cat "$state/dir")"
  bin="$(cat "$state/bin" 2>/dev/null || find_bin)"
  if [ -d "$dir/data" ] && [ -n "$bin" ]; then
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  rm -f "$state/dir" "$state/url" "$state/bin"
}

case "$cmd" in
  start)
    mkdir -p "$state"
    stop_cluster  # a cluster left by an interrupted run
    bin="$(find_bin)"
    if [ -z "$bin" ]; then
      echo "pg_cluster: no PostgreSQL server found under /usr/lib/postgresql (run scripts/setup)" >&2
      exit 1
    fi
    dir="$(mktemp -d "${TMPDIR:-/tmp}/nd-pg-XXXXXX")"
    echo "$dir" >"$state/dir"
    echo "$bin" >"$state/bin"
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    if ! as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      stop_cluster
      exit 1
    fi
    # Durability is not under test: fsync off makes the suite faster.
    if ! as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
      cat "$dir/server.log" >&2 || true
      stop_cluster
      exit 1
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$state/url"
    echo "pg_cluster: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
    ;;
  stop)
    stop_cluster
    echo "pg_cluster: stopped"
    ;;
  *)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
