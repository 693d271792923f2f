#!/usr/bin/env bash
# Extraction benchmark: newsdesk `extract --batch` against readability-lxml on the pages of
# the public article-extraction benchmark, in one run on this machine.
#
# Prints, for both extractors: F1 / precision / recall (the benchmark's evaluate.py),
# single-threaded pages per second, and newsdesk's peak memory (/usr/bin/time -v).
#
# Usage: bench/extraction.sh [BENCH_DIR]
#   BENCH_DIR defaults to ../shared/bench/extraction relative to the repository
#   (it must hold html/, ground-truth.json, evaluate.py and peers/).
# Environment: BUILD_DIR (default build-bench-extraction, a Release build made here),
#   REPS (default 5: newsdesk passes over the pages; the fastest counts),
#   PEER_REPS (default 3: readability-lxml passes; the fastest counts).
# Needs python3-readability and python3-html-text (scripts/setup installs them).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="${1:-$repo/../shared/bench/extraction}"
if [ ! -d "$bench/html" ] || [ ! -f "$bench/ground-truth.json" ] || [ ! -f "$bench/evaluate.py" ]; then
  echo "extraction bench: no benchmark data at $bench" >&2
  echo "  expected html/, ground-truth.json and evaluate.py there (the shared bench folder" >&2
  echo "  next to the repository: ../shared/bench/extraction); pass its path as an argument." >&2
  exit 2
fi
bench="$(cd "$bench" && pwd)"
build="${BUILD_DIR:-$repo/build-bench-extraction}"
reps="${REPS:-5}"
peer_reps="${PEER_REPS:-3}"

if ! /usr/bin/python3 -c 'import readability, html_text' 2>/dev/null; then
  echo "extraction bench: python3-readability / python3-html-text missing (run scripts/setup)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "extraction bench: /usr/bin/time missing (apt-get install time)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== building newsdesk (Release) in $build" >&2
build_log="$work/build.log"
if ! { cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DND_BUILD_TESTS=OFF &&
  cmake --build "$build" -j 2 --target newsdesk; } >"$build_log" 2>&1; then
  tail -n 30 "$build_log" >&2
  echo "extraction bench: the Release build failed (log above)" >&2
  exit 1
fi
nd="$(find "$build" -maxdepth 3 -type f -name newsdesk -perm -u+x | head -n 1)"
[ -x "$nd" ] || { echo "extraction bench: newsdesk binary not found in $build" >&2; exit 1; }
pages="$(find "$bench/html" -maxdepth 1 -name '*.html' | wc -l)"

# newsdesk: the whole command (process start, reading files, decoding, extraction, JSON
# out) is timed, one thread; the fastest of $reps passes counts.
best_nd=""
for ((i = 1; i <= reps; i++)); do
  /usr/bin/time -v -o "$work/time.$i" taskset -c 0 "$nd" extract --batch "$bench/html" \
    >"$work/nd.jsonl" 2>"$work/nd.err"
  secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
          for (k = 1; k <= n; k++) s = s * 60 + p[k]; print s}' "$work/time.$i")"
  if [ -z "$best_nd" ] || awk -v a="$secs" -v b="$best_nd" 'BEGIN {exit !(a < b)}'; then
    best_nd="$secs"
  fi
done
rss_kb="$(awk -F': ' '/Maximum resident set size/ {if ($2 > m) m = $2} END {print m}' "$work"/time.*)"

/usr/bin/python3 - "$work/nd.jsonl" "$work/nd.json" <<'EOF'
import json, sys
out = {}
with open(sys.argv[1], encoding='utf8') as f:
    for line in f:
        line = line.strip()
        if line:
            o = json.loads(line)
            out[o['id']] = o.get('text') or ''
json.dump(out, open(sys.argv[2], 'w', encoding='utf8'), ensure_ascii=False)
EOF

# readability-lxml: the peer script times its own extraction loop (files read before).
best_peer=""
for ((i = 1; i <= peer_reps; i++)); do
  line="$(taskset -c 0 /usr/bin/python3 "$bench/peers/run_readability_lxml.py" "$bench/html" \
    "$work/rl.json" 2>"$work/rl.err" | tail -n 1)"
  pps="$(sed -n 's/.*= \([0-9.]*\) pages\/s.*/\1/p' <<<"$line")"
  if [ -z "$best_peer" ] || awk -v a="$pps" -v b="$best_peer" 'BEGIN {exit !(a > b)}'; then
    best_peer="$pps"
    peer_line="$line"
  fi
done

score() {  # prints "F1 precision recall"
  /usr/bin/python3 "$bench/evaluate.py" "$1" --ground-truth "$bench/ground-truth.json" \
    --n-bootstrap 10 --seed 0 --json | /usr/bin/python3 -c '
import json, sys
r = next(iter(json.load(sys.stdin).values()))
print("%.4f %.4f %.4f" % (r["f1"], r["precision"], r["recall"]))'
}
read -r nd_f1 nd_p nd_r <<<"$(score "$work/nd.json")"
read -r rl_f1 rl_p rl_r <<<"$(score "$work/rl.json")"

nd_pps="$(awk -v n="$pages" -v s="$best_nd" 'BEGIN {printf "%.1f", n / s}')"
ratio="$(awk -v a="$nd_pps" -v b="$best_peer" 'BEGIN {printf "%.1f", a / b}')"
rss_mb="$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k / 1024}')"
nd_errors="$(grep -c '"error"' "$work/nd.jsonl" || true)"

echo
echo "Extraction: $pages pages of $bench/html, one thread (taskset -c 0), $(date -u +%Y-%m-%d)"
echo "peer: $peer_line"
echo
echo "| extractor | F1 | precision | recall | pages/s | peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| newsdesk extract --batch (Release) | $nd_f1 | $nd_p | $nd_r | $nd_pps | $rss_mb MB |"
echo "| readability-lxml + html-text | $rl_f1 | $rl_p | $rl_r | $best_peer | - |"
echo
echo "speed ratio newsdesk / readability-lxml: ${ratio}x; newsdesk pages with an error: $nd_errors"
echo "(newsdesk time is the whole command incl. process start and file reading, best of $reps;"
echo " readability-lxml time is its extraction loop only, best of $peer_reps)"
