#!/usr/bin/env bash
# Rebuilds one of the committed tabular risk models (offchain-worker/models/NAME.safetensors and
# its Groth16 keys in offchain-worker/models/keys/) from its ISLP table, the way a dApp
# developer brings any model: train a float network (`train-NAME`), then quantize it with
# `quantize-mlp`.
#
#   scripts/tabular-model.sh lending-risk   # ISLP Default.csv: credit default
#   scripts/tabular-model.sh market-risk    # ISLP NYSE.csv: next-day volatility regime
#
# Prints the held-out baselines (market-risk), the float and quantized accuracy and AUC on the
# held-out split, the model's SHA-256 and the `aichain-client register-model` arguments. New
# keys are generated only if the model's bytes changed (keys are named by the SHA-256).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${1:-}"
case "$NAME" in
  lending-risk | market-risk) ;;
  *) echo "usage: $0 lending-risk|market-risk" >&2; exit 2 ;;
esac
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
WORK="$HOME/.cache/aichain/$NAME"
cargo run --release --locked -q -p aichain-offchain-worker --bin "train-$NAME" -- "$WORK"
cargo run --release --locked -q -p aichain-offchain-worker --bin quantize-mlp -- \
  --float "$WORK/float.safetensors" --calibration "$WORK/calibration.csv" --test "$WORK/test.csv" \
  --out "offchain-worker/models/$NAME.safetensors" --keys-dir offchain-worker/models/keys
