#!/usr/bin/env bash
# Scale: ingest-and-process throughput with 1, 2 and 3 `run --role worker` processes on
# PostgreSQL, and with one process on SQLite (`ingest` then `process`) as the peer, in the
# same run, on the same data: the demo sources plus the generated set of the workers test
# (tests/e2e/workers_test.py: 50 feeds, 5,000 articles, 500 events), served over HTTP on
# 127.0.0.1. PostgreSQL 15 runs in a private cluster (tests/support/pg_cluster.sh; fsync
# off, as in the tests). Each run starts from an empty database and ends when every source
# was polled and every article is in a written story. Prints one table row per run:
# articles, seconds, articles/s and the speed-up over the SQLite process.
#
# Usage: bench/scale.sh   (NEWSDESK_BIN=path/to/newsdesk to skip the Release build;
#                          EVENTS=100 for a 1,000-article set)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
for tool in psql python3; do
  command -v "$tool" >/dev/null || { echo "scale.sh: $tool not found: run scripts/setup" >&2; exit 2; }
done
bin="${NEWSDESK_BIN:-}"
if [ -z "$bin" ]; then
  build="$root/build-release"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DND_BUILD_TESTS=OFF >/dev/null
  ninja -C "$build" -j2 newsdesk >/dev/null
  bin="$build/newsdesk"
  [ -x "$bin" ] || bin="$build/apps/newsdesk/newsdesk"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/nd-scale-XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$root/tests/support/pg_cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/tests/support/pg_cluster.sh" start "$work/pg" >&2
admin="$(cat "$work/pg/url")"

# Data: the generator of the workers test, served by a static server on a free port.
mkdir -p "$work/www"
ln -s "$root/data/demo" "$work/www/demo"
python3 - "$root" "$work/www" >"$work/port" <<'PY' &
import os, sys, time, functools, http.server
sys.path.insert(0, os.path.join(sys.argv[1], "tests", "e2e"))
import workers_test as w
w.EVENTS = int(os.environ.get("EVENTS", w.EVENTS))  # 500 events: 5,000 articles
feeds = w.generate(sys.argv[2])
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                        functools.partial(Quiet, directory=sys.argv[2]))
base = f"http://127.0.0.1:{httpd.server_address[1]}"
w.write_opml(sys.argv[2], base, os.path.join(sys.argv[1], "data", "demo", "demo.opml"), feeds)
print(base, flush=True)
httpd.serve_forever()
PY
pids+=($!)
for _ in $(seq 1 600); do [ -s "$work/port" ] && break; sleep 0.1; done
base="$(cat "$work/port")"
opml="$base/all.opml"
cat >"$work/newsdesk.toml" <<TOML
[fetch]
allow_networks = ["127.0.0.0/8"]
[poll]
interval_s = 3600
TOML

now() { date +%s.%N; }

# The peer: one process on SQLite.
t0="$(now)"
"$bin" ingest --config "$work/newsdesk.toml" --db "$work/one.db" --opml "$opml" >/dev/null 2>&1
"$bin" process --config "$work/newsdesk.toml" --db "$work/one.db" >/dev/null 2>&1
t1="$(now)"
articles="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from articles').fetchone()[0])" "$work/one.db")"
sqlite_s="$(python3 -c "print(f'{$t1 - $t0:.1f}')")"

printf '| setup | articles | seconds | articles/s | vs SQLite |\n|---|---:|---:|---:|---:|\n'
printf '| SQLite, 1 process (ingest + process) | %s | %s | %.0f | 1.00 |\n' "$articles" "$sqlite_s" \
  "$(python3 -c "print($articles / $sqlite_s)")"

state_sql="SELECT (SELECT COUNT(*) FROM articles WHERE story_id = 0 AND duplicate_of = 0)
  + (SELECT COUNT(*) FROM sources WHERE last_fetch = 0 OR lease_owner <> '')
  + (SELECT COUNT(*) FROM leases), (SELECT COUNT(*) FROM articles)"
for n in 1 2 3; do
  db="nd_scale_$n"
  psql "$admin" -qAtc "CREATE DATABASE $db" >/dev/null
  url="${admin%/*}/$db"
  "$bin" ingest --register-only --config "$work/newsdesk.toml" --db "$url" --opml "$opml" \
    >/dev/null 2>&1
  t0="$(now)"
  workers=()
  for i in $(seq 1 "$n"); do
    "$bin" run --role worker --config "$work/newsdesk.toml" --db "$url" \
      --worker-name "w$i" >"$work/w$n-$i.log" 2>&1 &
    workers+=($!)
    pids+=($!)
  done
  while :; do
    read -r open count < <(psql "$url" -qAtF ' ' -c "$state_sql")
    if [ "$open" = "0" ] && [ "$count" -gt 0 ]; then break; fi
    sleep 0.2
  done
  t1="$(now)"
  for p in "${workers[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
  secs="$(python3 -c "print(f'{$t1 - $t0:.1f}')")"
  printf '| PostgreSQL, %s worker%s | %s | %s | %.0f | %.2f |\n' "$n" "$([ "$n" = 1 ] || echo s)" \
    "$count" "$secs" "$(python3 -c "print($count / $secs)")" \
    "$(python3 -c "print($sqlite_s / $secs)")"
done
echo "machine: $(nproc) cores; $("$bin" --version); PostgreSQL $(psql --version | awk '{print $3}')"
