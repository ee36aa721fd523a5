#!/usr/bin/env bash
# Rebuilds the market-risk model (offchain-worker/models/market-risk.safetensors and its Groth16
# keys in offchain-worker/models/keys/) from the ISLP NYSE table, the way a dApp developer brings
# any model: train a float network, then quantize it with `quantize-mlp`.
#
#   scripts/market-risk.sh
#
# Prints the held-out baselines, the float and quantized accuracy and AUC on the held-out split,
# the model's SHA-256 and the `aichain-client register-model` arguments. New keys are generated
# only if the model's bytes changed (keys are named by the SHA-256).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
WORK="$HOME/.cache/aichain/market-risk"
cargo run --release --locked -q -p aichain-offchain-worker --bin train-market-risk -- "$WORK"
cargo run --release --locked -q -p aichain-offchain-worker --bin quantize-mlp -- \
  --float "$WORK/float.safetensors" --calibration "$WORK/calibration.csv" --test "$WORK/test.csv" \
  --out offchain-worker/models/market-risk.safetensors --keys-dir offchain-worker/models/keys
