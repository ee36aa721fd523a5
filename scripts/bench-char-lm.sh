#!/usr/bin/env bash
# Training speed of the character language model (models/char_lm), candle against PyTorch, in
# one run on this machine:
#   1. `cargo bench -p aichain-offchain-worker --bench char_lm` (criterion median of 10 AdamW
#      steps of 16 × 64 characters);
#   2. offchain-worker/benches/char_lm_torch.py (the same model, batch and optimizer in PyTorch),
#      in the virtual environment of scripts/torch-venv.sh;
# then prints both in tokens per second and the ratio of candle's time to PyTorch's; then
#   3. `cargo bench --bench diloco_vs_one`: DiLoCo (2 and 4 shards) against one worker alone for
#      the same wall time, in validation bits per character, and the bytes a round moves.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
PLAYS="${AICHAIN_DATA_DIR:-$HOME/.cache/aichain/data}/shakespeare"
TORCH_PYTHON="$(bash scripts/torch-venv.sh)"

cargo bench --locked -p aichain-offchain-worker --bench char_lm -- --noplot
torch_json="$("$TORCH_PYTHON" offchain-worker/benches/char_lm_torch.py "$PLAYS")"
python3 - "$CARGO_TARGET_DIR/criterion/char_lm/train_10_steps_batch16/new/estimates.json" "$torch_json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    candle = json.load(f)["median"]["point_estimate"] / 1e9
torch = json.loads(sys.argv[2])
tokens = 10 * 16 * 64
print(f"PyTorch {torch['torch']}, {torch['threads']} threads, {torch['parameters']} parameters")
print(f"10 AdamW steps of 16 x 64 characters: candle {candle*1e3:.1f} ms ({tokens/candle:,.0f} tokens/s), "
      f"PyTorch {torch['median_s_10_steps']*1e3:.1f} ms ({torch['tokens_per_s']:,.0f} tokens/s), candle/PyTorch = {candle/torch['median_s_10_steps']:.2f}")
PY
cargo bench --locked -p aichain-offchain-worker --bench diloco_vs_one
