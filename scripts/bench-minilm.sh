#!/usr/bin/env bash
# MiniLM-L6 embedding speed, candle against PyTorch, in one run on this machine:
#   1. `cargo bench -p aichain-offchain-worker --bench embedding` (criterion medians);
#   2. offchain-worker/benches/minilm_torch.py (transformers' BertModel on the same weights,
#      sentences and batches), in the virtual environment of scripts/torch-venv.sh
#      (torch and transformers from PyPI, created on first use);
# then prints both medians, the ratio candle / PyTorch per batch size, and the cosine between
# the two implementations' embeddings of the first sentence.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
MODEL_DIR="${AICHAIN_MODELS_DIR:-$HOME/.cache/aichain/models}/all-minilm-l6-v2"
TORCH_PYTHON="$(bash scripts/torch-venv.sh)"

cargo bench --locked -p aichain-offchain-worker --bench embedding -- --noplot
torch_json="$("$TORCH_PYTHON" offchain-worker/benches/minilm_torch.py "$MODEL_DIR")"
first_sentence="$(head -1 offchain-worker/benches/sentences.txt)"
cargo run --quiet --release --locked -p aichain-offchain-worker --bin embed -- "$first_sentence" > /tmp/candle-embedding.json

python3 - "$CARGO_TARGET_DIR/criterion/minilm" "$torch_json" /tmp/candle-embedding.json <<'PY'
import json, math, sys
criterion, torch, candle_embedding = sys.argv[1], json.loads(sys.argv[2]), json.load(open(sys.argv[3]))
print(f"PyTorch {torch['torch']}, {torch['threads']} threads")
for size in (1, 32):
    with open(f"{criterion}/embed_batch{size}/new/estimates.json") as f:
        candle = json.load(f)["median"]["point_estimate"] / 1e9
    ours = torch[f"batch{size}_median_s"]
    print(f"batch {size:2}: candle {candle*1e3:8.2f} ms, PyTorch {ours*1e3:8.2f} ms, candle/PyTorch = {candle/ours:.2f}")
a, b = candle_embedding, torch["first_embedding"]
cos = sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
print(f"cosine(candle, PyTorch) of the first sentence's embedding: {cos:.6f}")
PY
