#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets with clang (ASan + UBSan + coverage) in
# build-fuzz/ and runs each for FUZZ_SECONDS (default 60) from a copy of its seed corpus.
# Crash inputs land in fuzz/crashes/<target>/, where `make test` replays them; a summary
# line per target (executions, corpus size, findings) goes to build-fuzz/fuzz-summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
JOBS="${JOBS:-2}"
TARGETS="${FUZZ_TARGETS:-feed html charset url date json}"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DND_BUILD_TESTS=OFF -DND_BUILD_FUZZ=ON -DND_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" >/dev/null
# shellcheck disable=SC2086
cmake --build build-fuzz -j "$JOBS" --target $(for t in $TARGETS; do echo "${t}_fuzzer"; done)
summary=build-fuzz/fuzz-summary.txt
: >"$summary"
status=0
for t in $TARGETS; do
  work="build-fuzz/corpus/$t"
  mkdir -p "$work" "fuzz/crashes/$t"
  cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  log="build-fuzz/fuzz-$t.log"
  before=$(find "fuzz/crashes/$t" -type f | wc -l)
  set +e
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-fuzz/fuzz/${t}_fuzzer" "$work" -max_total_time="$SECONDS_PER_TARGET" \
    -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="fuzz/crashes/$t/" >"$log" 2>&1
  rc=$?
  set -e
  after=$(find "fuzz/crashes/$t" -type f | wc -l)
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
  [ -z "$runs" ] && runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  corpus=$(find "$work" -type f | wc -l)
  line="$t: ${runs} runs in ${SECONDS_PER_TARGET} s, coverage ${cov}, corpus ${corpus}, new findings $((after - before)) (exit $rc)"
  echo "$line" | tee -a "$summary"
  if [ "$rc" -ne 0 ]; then status=1; fi
done
exit $status
