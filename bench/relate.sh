#!/usr/bin/env bash
# Related stories and search latency on a synthetic archive of 100,000 stories, on one core
# (taskset -c 0): incremental index updates, Related(id, 6), Store::Search with snippets,
# index memory. See bench/relate_bench.cc for the data; figures go to docs/BENCHMARKS.md
# ("Related and search").
#
# Usage: bench/relate.sh [--stories N] [--queries Q] [--db FILE] [--search-only 1]
#        (ND_BENCH_BUILD=dir to reuse a build). --db FILE keeps the database and searches it
# again without re-saving on the next run; --search-only 1 skips the relate half.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ND_BENCH_BUILD:-$root/build-relate-bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DND_BUILD_BENCH=ON \
  -DND_BUILD_TESTS=OFF >/dev/null
ninja -C "$build" -j2 nd_relate_bench >/dev/null
bin="$build/bench/nd_relate_bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/nd-relate-XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); one core (taskset -c 0)"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" "$bin" --db-dir "$work" "$@"
