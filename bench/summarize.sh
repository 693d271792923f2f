#!/usr/bin/env bash
# Summarization benchmark: `newsdesk summarize` against Lead-3 on a JSONL set of
# {id, lang, text, reference} (references' sentences separated by "\n"), scored in the
# same run with the bench's rouge.py (ROUGE F1, Porter-stemmed; needs Debian python3-nltk,
# so it runs under /usr/bin/python3).
#
#   bench/summarize.sh [DATA.jsonl]        default: ../shared/bench/summarization/cnndm100.jsonl
#   BUILD=build-release WORDS=N bench/summarize.sh ...
#
# The word budget is one number for the whole set: the mean length of the references in
# words (rounded), unless WORDS is given. Lead-3 is the first three sentences of each text.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-$ROOT/../shared/bench/summarization/cnndm100.jsonl}"
ROUGE_DIR="${ROUGE_DIR:-$(dirname "$DATA")}"
BUILD="${BUILD:-$ROOT/build-release}"
PY=/usr/bin/python3

[ -f "$DATA" ] || { echo "summarize.sh: $DATA: no such file" >&2; exit 1; }
[ -f "$ROUGE_DIR/rouge.py" ] || { echo "summarize.sh: $ROUGE_DIR/rouge.py: not found" >&2; exit 1; }

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$BUILD" -j"${JOBS:-2}" newsdesk >/dev/null
BIN="$BUILD/newsdesk"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ -z "${WORDS:-}" ]; then
  WORDS="$("$PY" - "$DATA" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
print(round(sum(len(r["reference"].split()) for r in rows) / len(rows)))
PY
)"
fi

start=$(date +%s.%N)
"$BIN" summarize --in "$DATA" --words "$WORDS" > "$WORK/ours.jsonl"
end=$(date +%s.%N)

"$PY" - "$DATA" "$WORK/ours.jsonl" "$ROUGE_DIR" "$WORDS" "$start" "$end" <<'PY'
import json, re, sys
data, ours_path, rouge_dir, words, start, end = sys.argv[1:7]
sys.path.insert(0, rouge_dir)
from rouge import score

rows = [json.loads(l) for l in open(data, encoding="utf-8") if l.strip()]
ours = {}
for l in open(ours_path, encoding="utf-8"):
    if l.strip():
        j = json.loads(l)
        ours[j["id"]] = j["summary"]

def sentences(text):
    # Split after stand-alone sentence punctuation (tokenized corpora: " . ", with a
    # closing " ''"); "dr." and "..." do not end a sentence.
    out = []
    for para in text.split("\n"):
        parts = re.split(r"(?<= [.!?]) (?!'')|(?<= [.!?] '') ", " " + para.strip())
        out += [p.strip() for p in parts if p.strip()]
    return out

def lead3(text):
    return "\n".join(sentences(text)[:3])

systems = {"newsdesk summarize": lambda r: ours.get(r["id"], ""), "Lead-3": lambda r: lead3(r["text"])}
print(f"{len(rows)} documents, word budget {words} (mean reference length), "
      f"newsdesk time {float(end) - float(start):.2f} s")
print(f"{'system':<22} {'R1':>6} {'R2':>6} {'RLsum':>6} {'words':>6}")
for name, get in systems.items():
    tot = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
    nwords = 0
    for r in rows:
        hyp = get(r)
        s = score(r["reference"], hyp, r.get("lang", "en"))
        for k in tot:
            tot[k] += s[k]
        nwords += len(hyp.split())
    n = len(rows)
    print(f"{name:<22} {100*tot['rouge1']/n:6.2f} {100*tot['rouge2']/n:6.2f} "
          f"{100*tot['rougeLsum']/n:6.2f} {nwords/n:6.1f}")
PY
