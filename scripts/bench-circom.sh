#!/usr/bin/env bash
# Groth16 proving speed on one circom circuit, this engine's prover against snarkjs 0.7.6, in
# one run on the same .zkey and the same witness:
#   1. compiles offchain-worker/benches/circom/rounds.circom (30,000 constraints) with circom2,
#      makes its key (a local powers of tau of 2^15) and a witness (`snarkjs wtns calculate`),
#      once, into ~/.cache/aichain/bench-circom (`--setup-only` stops there);
#   2. snarkjs: offchain-worker/benches/circom/snarkjs-prove.mjs, `groth16.prove` in process,
#      11 runs after a warm-up, on its worker threads and on one thread;
#   3. this engine: `cargo bench --bench circom` (criterion, 10 samples) on the same files;
# then prints the medians and the ratios engine / snarkjs (below 1: the engine is faster). The
# engine's arkworks is built without its `parallel` feature: one thread per proof (a provider
# runs `--worker-threads` proofs at once).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
TOOLS="$(bash "$ROOT/scripts/circom-tools/install.sh")"
export PATH="$TOOLS/node_modules/.bin:$PATH"
# The circuit's key and witness are made once and kept (the setup takes minutes).
WORK="$HOME/.cache/aichain/bench-circom"
mkdir -p "$WORK"
log() { printf '[bench-circom] %s\n' "$*" >&2; }

cd "$ROOT"
if ! cmp -s offchain-worker/benches/circom/rounds.circom "$WORK/rounds.circom" || [ ! -f "$WORK/witness.wtns" ]; then
  rm -f "$WORK/witness.wtns"
  circom2 offchain-worker/benches/circom/rounds.circom --r1cs --wasm -o "$(realpath --relative-to="$ROOT" "$WORK")" >/dev/null
  log "key: powers of tau 2^15 and a Groth16 setup (a few minutes, once)"
  snarkjs powersoftau new bn128 15 "$WORK/pot_0.ptau" >/dev/null
  snarkjs powersoftau contribute "$WORK/pot_0.ptau" "$WORK/pot_1.ptau" --name=bench -e=bench >/dev/null
  snarkjs powersoftau prepare phase2 "$WORK/pot_1.ptau" "$WORK/pot.ptau" >/dev/null
  snarkjs groth16 setup "$WORK/rounds.r1cs" "$WORK/pot.ptau" "$WORK/circuit.zkey" >/dev/null
  echo '{"x": "7"}' > "$WORK/input.json"
  snarkjs wtns calculate "$WORK/rounds_js/rounds.wasm" "$WORK/input.json" "$WORK/witness.wtns"
  rm -f "$WORK"/pot_*.ptau "$WORK/pot.ptau"
  cp offchain-worker/benches/circom/rounds.circom "$WORK/rounds.circom"
fi
[ "${1:-}" = "--setup-only" ] && exit 0

log "snarkjs: groth16.prove, 11 runs"
# Run from the tools' folder so that `import 'snarkjs'` resolves to the pinned package.
cp offchain-worker/benches/circom/snarkjs-prove.mjs "$TOOLS/"
snarkjs_json="$(node "$TOOLS/snarkjs-prove.mjs" "$WORK/circuit.zkey" "$WORK/witness.wtns" 11 all)"
snarkjs_single_json="$(node "$TOOLS/snarkjs-prove.mjs" "$WORK/circuit.zkey" "$WORK/witness.wtns" 11 single)"
log "engine (cargo bench)"
# The workspace selection and features of scripts/test.sh, so that the test build's artifacts
# are reused (with `-p aichain-offchain-worker` alone, features unify differently and most of
# the dependencies are built again).
AICHAIN_CIRCOM_BENCH="$WORK" cargo bench --locked --workspace --exclude aichain-client --features aichain-zk/testing \
  --bench circom -- --noplot >&2

python3 - "$CARGO_TARGET_DIR/criterion/circom/prove_bench-circuit/new/estimates.json" "$snarkjs_json" "$snarkjs_single_json" <<'PY'
import json, os, sys
engine_ms = json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6
many, single = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"rounds.circom (30,000 constraints), same .zkey and witness, {os.cpu_count()} cores:")
print(f"  engine (arkworks 0.6, snarkjs reduction, one thread): median {engine_ms:.1f} ms")
print(f"  snarkjs 0.7.6 groth16.prove, worker threads:         median {many['median_ms']:.1f} ms")
print(f"  snarkjs 0.7.6 groth16.prove, one thread:             median {single['median_ms']:.1f} ms")
print(f"  ratio engine / snarkjs: {engine_ms / many['median_ms']:.2f} (threads), {engine_ms / single['median_ms']:.2f} (one thread each)")
PY
