#!/usr/bin/env bash
# Regenerates the snarkjs fixture of primitives/zk (real circom + snarkjs output) used by the
# snarkjs-import tests: compiles tests/fixtures/snarkjs/multiplier.circom with circom2 (the wasm
# build of the circom compiler), runs a small powers-of-tau ceremony and a Groth16 setup, and
# writes verification_key.json, proof.json and public.json next to the circuit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/primitives/zk/tests/fixtures/snarkjs"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error circom2@0.2.23 snarkjs@0.7.6 >/dev/null
export PATH="$WORK/node_modules/.bin:$PATH"
cp "$FIX/multiplier.circom" .
circom2 multiplier.circom --r1cs --wasm -o .
snarkjs powersoftau new bn128 6 pot_0.ptau -v >/dev/null
snarkjs powersoftau contribute pot_0.ptau pot_1.ptau --name=fixture -e="fixture entropy" >/dev/null
snarkjs powersoftau prepare phase2 pot_1.ptau pot_final.ptau >/dev/null
snarkjs groth16 setup multiplier.r1cs pot_final.ptau key_0.zkey >/dev/null
snarkjs zkey contribute key_0.zkey key.zkey --name=fixture -e="more entropy" >/dev/null
snarkjs zkey export verificationkey key.zkey "$FIX/verification_key.json"
echo '{"a": "3", "b": "11", "d": "1000"}' > input.json
snarkjs groth16 fullprove input.json multiplier_js/multiplier.wasm key.zkey "$FIX/proof.json" "$FIX/public.json"
snarkjs groth16 verify "$FIX/verification_key.json" "$FIX/public.json" "$FIX/proof.json"
