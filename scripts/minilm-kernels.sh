#!/usr/bin/env bash
# Measures how far MiniLM embeddings, quantized as the chain stores them (one signed byte per
# dimension, round(127 · e)), move between this machine's two CPU kernel paths: natively
# (gemm's and our SIMD code's AVX-512 kernels where the CPU has them) and under valgrind, whose
# simulated CPU has no AVX-512, so the same binary takes its AVX2/FMA kernels. The largest
# per-byte difference is what the MiniLM model's `output_tolerance` must cover for redundancy
# jobs to agree across providers (docs/compute-market.md, threat model 9).
#
#   scripts/minilm-kernels.sh [N]     # the first N sentences of the benchmark list (default 8)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
grep -qw avx512f /proc/cpuinfo || echo "note: this CPU has no AVX-512; both runs take the same kernels" >&2
cargo build --release --locked -p aichain-offchain-worker --bin embed >&2
EMBED="$CARGO_TARGET_DIR/release/embed"
N="${1:-8}"
out="$(mktemp -d)"
head -n "$N" offchain-worker/benches/sentences.txt | while IFS= read -r sentence; do
  "$EMBED" "$sentence" >>"$out/native.jsonl"
  valgrind --tool=none -q "$EMBED" "$sentence" >>"$out/avx2.jsonl"
done
python3 - "$out" <<'PY'
import json, math, sys
d = sys.argv[1]
# Rust's f32::round: halves away from zero (Python's round() would round them to even).
rust_round = lambda v: int(math.copysign(math.floor(abs(v) + 0.5), v))
native = [json.loads(l) for l in open(f"{d}/native.jsonl")]
avx2 = [json.loads(l) for l in open(f"{d}/avx2.jsonl")]
q = lambda v: [max(-127, min(127, rust_round(127 * x))) for x in v]
worst, differing, total, max_float = 0, 0, 0, 0.0
for a, b in zip(native, avx2):
    max_float = max(max_float, max(abs(x - y) for x, y in zip(a, b)))
    qa, qb = q(a), q(b)
    diffs = [abs(x - y) for x, y in zip(qa, qb)]
    worst, differing, total = max(worst, max(diffs)), differing + sum(1 for x in diffs if x), total + len(diffs)
print(f"{len(native)} sentences: largest float difference {max_float:.2e}; "
      f"{differing} of {total} quantized bytes differ; largest byte difference {worst}")
PY
rm -rf "$out"
