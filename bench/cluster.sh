#!/usr/bin/env bash
# Clustering speed, memory and quality: builds nd_cluster_bench (Release) and runs it on a
# synthetic archive of 100,000 articles (per-article assignment time reported at 10,000 and
# 100,000), then the labelled-set quality test, and, when present, newsdesk cluster on the
# shared UCI headlines set (BCubed via its metrics.py).
# Usage: bench/cluster.sh [N=100000]   (build dir: build-bench-cluster)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench-cluster}"
n="${1:-100000}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DND_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j2 nd_cluster_bench cluster_quality_test >/dev/null
echo "== synthetic archive ($n articles, one core)"
"$build/bench/nd_cluster_bench" "$n"
echo "== labelled set (tests/data/cluster/labelled.jsonl)"
"$build/tests/cluster/cluster_quality_test" | grep -E "BCubed|follow-ups"
uci="$root/../shared/bench/clustering"
if [ -f "$uci/uci_news_aggregator_first6k.jsonl" ] && ninja -C "$build" -j2 newsdesk >/dev/null 2>&1; then
  echo "== UCI headlines (shared/bench/clustering)"
  out="$(mktemp)"
  "$build/newsdesk" cluster --in "$uci/uci_news_aggregator_first6k.jsonl" >"$out" 2>/dev/null
  python3 - "$uci" "$uci/uci_news_aggregator_first6k.jsonl" "$out" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from metrics import bcubed_prf, standard_prf
gold = {json.loads(l)["id"]: json.loads(l)["story"] for l in open(sys.argv[2])}
pred = {json.loads(l)["id"]: json.loads(l)["cluster"] for l in open(sys.argv[3])}
p, r, f = bcubed_prf(gold, pred)
print("BCubed P=%.3f R=%.3f F1=%.3f pairwise F1=%.3f (%d headlines; README floor: TF-IDF single pass BCubed F1 0.70)"
      % (p, r, f, standard_prf(gold, pred)[2], len(gold)))
PY
  rm -f "$out"
fi
