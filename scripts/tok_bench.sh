#!/usr/bin/env bash
# Tokenizer benchmark (not a test): our byte-level BPE against Hugging Face tokenizers on the same
# corpus — training a 4096-token vocabulary on 1 thread, and single-thread encoding MB/s — and a
# check that both trained the same tokenizer.json and give the same ids. Results: docs/tokenizer.md.
#
#   bash /work/shared/bench/make_local_corpus.sh /tmp/tokcorpus/corpus_local.txt   # once, ~16 MB
#   python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers==0.23.3  # once
#   scripts/tok_bench.sh [CORPUS] [PYTHON_WITH_TOKENIZERS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/tokcorpus/corpus_local.txt}
python=${2:-/tmp/tokvenv/bin/python}
runs=${3:-3}
peer=${TOK_BENCH_PY:-../shared/bench/tok_bench.py}
[ -f "$peer" ] || peer=/work/shared/bench/tok_bench.py
swift build -c release --scratch-path .build-rel --product minigpt-lessons >/dev/null
bin=.build-rel/release/minigpt-lessons
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "corpus: $corpus ($(wc -c <"$corpus") bytes, sha256 $(sha256sum "$corpus" | cut -c1-16)…)"

for run in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" tokenizer train --data "$corpus" --vocab-size 4096 --special-tokens '<|endoftext|>' \
    --out "$out/ours.json" --quiet | sed 's/^/ours train: /'
  echo "ours train run $run: whole process $(echo "$(date +%s.%N) - $start" | bc) s"
done
"$bin" tokenize --tokenizer "$out/ours.json" --file "$corpus" --bench --ids-out "$out/ours_ids.txt" |
  sed 's/^/ours encode: /'

RAYON_NUM_THREADS=1 "$python" "$peer" "$corpus" --vocab 4096 --threads 1 --save "$out/hf.json" --json |
  sed 's/^/hf: /'
cmp -s "$out/ours.json" "$out/hf.json" && echo "trained tokenizer.json: identical to HF's" ||
  echo "trained tokenizer.json: DIFFERENT from HF's"
"$python" - "$out/hf.json" "$corpus" "$out/ours_ids.txt" <<'PY'
import sys
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
# the same 64 KiB chunks (cut after a newline, counted in bytes) as `tokenize --bench`
data, ids, start = text.encode("utf-8"), [], 0
while start < len(data):
    end = min(start + 65536, len(data))
    if end < len(data):
        k = data.rfind(b"\n", start, end)
        end = k + 1 if k >= start else end
    ids += tok.encode(data[start:end].decode("utf-8"), add_special_tokens=False).ids
    start = end
ours = [int(x) for x in open(sys.argv[3]).read().split()]
print("encoded ids:", "identical to HF's" if ours == ids else "DIFFERENT from HF's", f"({len(ids)} tokens)")
PY
