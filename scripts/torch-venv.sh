#!/usr/bin/env bash
# The PyTorch peer of the candle benchmarks (scripts/bench-minilm.sh, scripts/bench-char-lm.sh):
# makes sure the virtual environment ~/.cache/aichain/torch-venv has torch and transformers from
# PyPI (created on first use) and prints its python. Idempotent.
set -euo pipefail
VENV="$HOME/.cache/aichain/torch-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import torch, transformers' 2>/dev/null; then
  echo "[torch-venv] installing torch and transformers into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet torch transformers
fi
echo "$VENV/bin/python"
