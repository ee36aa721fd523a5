#!/usr/bin/env bash
# Makes the files of a circom model for the chain's `circom-v1` model format
# (offchain-worker/src/models/circom, docs/compute-engine.md "Circom circuits"):
#
#   scripts/circom-model.sh DIR NAME INPUT_LEN OUTPUT_LEN [KIND]
#
# 1. compiles DIR/circuit.circom (the include path has primitives/zk-circuits/circom, whose
#    aichain.circom gives the chain's public-signal layout) to DIR/circuit.wasm with circom2
#    (circom 2.2.3 built to wasm, npm);
# 2. runs a Groth16 setup with snarkjs: a local powers of tau sized to the circuit, one phase-2
#    contribution, DIR/circuit.zkey and DIR/verification_key.json;
# 3. writes DIR/model.json (NAME, KIND = Classifier or TrainingStep, the lengths, both files'
#    SHA-256) and prints its SHA-256: the weights hash to register.
#
# The tools are the pinned npm packages of scripts/circom-tools (npm ci, integrity-checked),
# installed once into ~/.cache/aichain/circom-tools. Trust: this setup's randomness is this
# machine's, so whoever runs it could forge proofs for the circuit; a model others rely on
# takes a public powers-of-tau file and a multi-party phase 2 (snarkjs zkey contribute by
# several parties) instead, and its .zkey is used here unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[circom-model] %s\n' "$*" >&2; }
[ $# -ge 4 ] || { echo "usage: $0 DIR NAME INPUT_LEN OUTPUT_LEN [KIND]" >&2; exit 2; }
DIR="$(cd "$1" && pwd)"; NAME="$2"; INPUT_LEN="$3"; OUTPUT_LEN="$4"; KIND="${5:-Classifier}"
TOOLS="$(bash "$ROOT/scripts/circom-tools/install.sh")"
export PATH="$TOOLS/node_modules/.bin:$PATH"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# circom2 runs under WASI with the working directory as its file system: compile from the root.
(cd "$ROOT" && circom2 "$(realpath --relative-to="$ROOT" "$DIR/circuit.circom")" \
  -l primitives/zk-circuits/circom --r1cs --wasm -o "$(realpath --relative-to="$ROOT" "$WORK")" >&2)
cp "$WORK/circuit_js/circuit.wasm" "$DIR/circuit.wasm"

# The smallest powers of tau that fits: 2^power > constraints + public signals.
rows="$(snarkjs r1cs info "$WORK/circuit.r1cs" | awk -F': ' '/# of Constraints/ {c=$NF} /# of Outputs/ {o=$NF} /# of Public Inputs/ {p=$NF} END {print c + o + p + 1}')"
power=1; while [ $((1 << power)) -lt "$rows" ]; do power=$((power + 1)); done
log "$rows rows: powers of tau 2^$power"
snarkjs powersoftau new bn128 "$power" "$WORK/pot_0.ptau" >/dev/null
snarkjs powersoftau contribute "$WORK/pot_0.ptau" "$WORK/pot_1.ptau" --name=local -e="$(head -c 32 /dev/urandom | base64)" >/dev/null
snarkjs powersoftau prepare phase2 "$WORK/pot_1.ptau" "$WORK/pot.ptau" >/dev/null
snarkjs groth16 setup "$WORK/circuit.r1cs" "$WORK/pot.ptau" "$WORK/key_0.zkey" >/dev/null
snarkjs zkey contribute "$WORK/key_0.zkey" "$DIR/circuit.zkey" --name=owner -e="$(head -c 32 /dev/urandom | base64)" >/dev/null
snarkjs zkey export verificationkey "$DIR/circuit.zkey" "$DIR/verification_key.json" >/dev/null

sha() { sha256sum "$1" | cut -d' ' -f1; }
cat > "$DIR/model.json" <<JSON
{
  "aichain": "circom-v1",
  "name": "$NAME",
  "kind": "$KIND",
  "input_len": $INPUT_LEN,
  "output_len": $OUTPUT_LEN,
  "wasm": "circuit.wasm",
  "wasm_sha256": "$(sha "$DIR/circuit.wasm")",
  "zkey": "circuit.zkey",
  "zkey_sha256": "$(sha "$DIR/circuit.zkey")"
}
JSON
log "wrote $DIR/{circuit.wasm,circuit.zkey,verification_key.json,model.json}"
sha "$DIR/model.json"
