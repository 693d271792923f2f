#!/usr/bin/env bash
# Serving speed: newsdesk against nginx on loopback, in the same run.
#
# Builds newsdesk (Release, build-release/) unless NEWSDESK_BIN names a binary, serves the
# demo sources on 127.0.0.1, ingests and processes them into a private store, and starts
# `newsdesk serve` (2 threads). For each of three URLs (the story page with the most
# sources, the front page, /api/v1/stories) it saves the exact response bytes as a static
# file served by nginx (private config, 2 workers, another loopback port), then runs wrk
# (2 threads, 64 connections, DURATION seconds, default 20) against newsdesk and nginx.
# Prints req/s, errors and p99 latency for both and the ratio; exits 1 when newsdesk is
# below half of nginx's req/s, has errors, or has p99 > 10 ms.
#
# Usage: bench/serve.sh            (DURATION=5 bench/serve.sh for a quick look)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${DURATION:-20}"
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "serve.sh: $tool not found: run scripts/setup" >&2; exit 2; }
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

bin="${NEWSDESK_BIN:-}"
if [ -z "$bin" ]; then
  build="$root/build-release"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" -j2 newsdesk >/dev/null
  bin="$build/newsdesk"
fi

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers may run as another user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits for a line matching $2 in file $1 and prints the first capture of regex $3.
wait_for() {
  for _ in $(seq 1 100); do
    if grep -qE "$2" "$1" 2>/dev/null; then
      grep -oE "$3" "$1" | head -1
      return 0
    fi
    sleep 0.1
  done
  echo "serve.sh: timed out waiting for '$2' in $1" >&2
  cat "$1" >&2
  return 1
}

# The demo sources.
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
pids+=($!)
nd="$(wait_for "$work/serve.log" "serving on http://" "http://[0-9.]+:[0-9]+")"

story_id="$(curl -sf "$nd/api/v1/stories?limit=100" | python3 -c '
import json, sys
stories = json.load(sys.stdin)["stories"]
print(max(stories, key=lambda s: (s["sources"], -s["id"]))["id"])')"

# nginx on another loopback port, serving the same bytes as static files.
mkdir -p "$work/www/story" "$work/www/api/v1"
declare -A paths=(
  [story]="/story/$story_id"
  [front]="/"
  [api]="/api/v1/stories"
)
declare -A files=(
  [story]="/story/$story_id.html"
  [front]="/index.html"
  [api]="/api/v1/stories.json"
)
for k in story front api; do
  curl -sf -o "$work/www${files[$k]}" "$nd${paths[$k]}"
done
ng_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; application/json json; }
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$ng_port;
    root $work/www;
  }
}
NGINX
mkdir -p "$work/nginx-tmp"
"$nginx_bin" -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log"
for _ in $(seq 1 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$ng_port${files[story]}" ||
  { echo "serve.sh: nginx does not serve the page" >&2; cat "$work/nginx-error.log" >&2; exit 2; }

# wrk output -> "req_per_s errors p99_ms"
run_wrk() {
  local out
  out="$(wrk -t2 -c64 -d"${duration}s" --latency "$1")"
  echo "$out" >>"$work/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
errors = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
if m:
    errors += sum(int(x) for x in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if m:
    errors += int(m.group(1))
m = re.search(r"99%\s+([0-9.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
print(f"{rps:.0f} {errors} {p99:.2f}")
PY
}

echo "serve.sh: wrk -t2 -c64 -d${duration}s, newsdesk $nd (2 threads) vs nginx 127.0.0.1:$ng_port (2 workers)"
printf "%-22s %8s %12s %8s %8s %12s %8s %8s %7s\n" "url" "bytes" "newsdesk/s" "errors" "p99 ms" \
  "nginx/s" "errors" "p99 ms" "ratio"
fail=0
for k in story front api; do
  bytes="$(stat -c %s "$work/www${files[$k]}")"
  read -r nd_rps nd_err nd_p99 <<<"$(run_wrk "$nd${paths[$k]}")"
  read -r ng_rps ng_err ng_p99 <<<"$(run_wrk "http://127.0.0.1:$ng_port${files[$k]}")"
  ratio="$(python3 -c "print(f'{$nd_rps / $ng_rps:.2f}')")"
  printf "%-22s %8s %12s %8s %8s %12s %8s %8s %7s\n" "${paths[$k]}" "$bytes" "$nd_rps" "$nd_err" \
    "$nd_p99" "$ng_rps" "$ng_err" "$ng_p99" "$ratio"
  if ! python3 -c "import sys; sys.exit(0 if $nd_rps >= 0.5 * $ng_rps and $nd_err == 0 and $nd_p99 <= 10 else 1)"; then
    fail=1
  fi
done
if [ "$fail" -ne 0 ]; then
  echo "serve.sh: FAIL: target is newsdesk >= 0.5 x nginx req/s, 0 errors, p99 <= 10 ms"
  exit 1
fi
echo "serve.sh: PASS: newsdesk >= 0.5 x nginx req/s, 0 errors, p99 <= 10 ms on every URL"
