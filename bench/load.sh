#!/usr/bin/env bash
# Load (issue 9): wrk at 128 connections for DURATION seconds (default 60) on each of the
# story page, a search and the API, against `newsdesk serve` over the demo archive. Prints
# requests/s, non-2xx/3xx responses and socket errors per route, and the server's RSS
# before and after each run and its peak (VmHWM). Exits 1 on any error or non-2xx response,
# or when RSS after the last run is more than 64 MB above RSS after the first.
#
# Usage: NEWSDESK_BIN=build-release/newsdesk bench/load.sh   (DURATION=10 for a quick look)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${DURATION:-60}"
bin="${NEWSDESK_BIN:-$root/build-release/newsdesk}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
wait_for() {
  for _ in $(seq 1 100); do
    if grep -qE "$2" "$1" 2>/dev/null; then grep -oE "$3" "$1" | head -1; return 0; fi
    sleep 0.1
  done
  echo "load.sh: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$root/data/demo" \
  >"$work/sources.log" 2>&1 &
pids+=($!)
src_port="$(wait_for "$work/sources.log" "port [0-9]+" "port [0-9]+" | cut -d' ' -f2)"
cat >"$work/newsdesk.toml" <<TOML
[store]
db = "$work/news.db"

[fetch]
allow_networks = ["127.0.0.0/8"]

[server]
threads = 2
TOML
"$bin" ingest --config "$work/newsdesk.toml" --opml "http://127.0.0.1:$src_port/demo.opml" \
  >/dev/null 2>"$work/ingest.log"
"$bin" process --config "$work/newsdesk.toml" >/dev/null 2>"$work/process.log"
"$bin" serve --config "$work/newsdesk.toml" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
pids+=($server)
nd="$(wait_for "$work/serve.log" "serving on http://" "http://[0-9.]+:[0-9]+")"
story_id="$(curl -sf "$nd/api/v1/stories?limit=1" | python3 -c '
import json, sys; print(json.load(sys.stdin)["stories"][0]["id"])')"
rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$server/status"; }
status=0
first_rss=""
printf "%-8s %-34s %10s %8s %8s %9s %9s\n" route path "req/s" non2xx errors "RSS MB" "after MB"
for route in story search api; do
  case $route in
    story) path="/story/$story_id" ;;
    search) path="/search?q=minimum+wage" ;;
    api) path="/api/v1/stories?limit=20" ;;
  esac
  before="$(rss VmRSS)"
  [ -z "$first_rss" ] && first_rss="$before"
  out="$(wrk -t2 -c128 -d"${duration}s" --latency "$nd$path")"
  after="$(rss VmRSS)"
  rps="$(echo "$out" | awk '/Requests\/sec/ { print $2 }')"
  non2xx="$(echo "$out" | awk '/Non-2xx or 3xx responses/ { print $5 }')"
  errors="$(echo "$out" | awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }')"
  printf "%-8s %-34s %10s %8s %8s %9s %9s\n" "$route" "$path" "$rps" "${non2xx:-0}" \
    "${errors:-0}" "$before" "$after"
  if [ -n "$non2xx" ] || [ "${errors:-0}" != "0" ]; then status=1; fi
done
last="$(rss VmRSS)"
echo "load.sh: server peak RSS (VmHWM) $(rss VmHWM) MB; RSS $first_rss MB before, $last MB after"
if [ $((last - first_rss)) -gt 64 ]; then echo "load.sh: RSS grew by more than 64 MB"; status=1; fi
exit $status
