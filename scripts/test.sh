#!/usr/bin/env bash
# Runs the whole test suite:
#  1. Rust unit and integration tests of every crate (runtime, node, primitives, pallets, the
#     compute engine in offchain-worker/), with real Groth16 proofs (feature `aichain-zk/testing`)
#     and the real MiniLM weights (fetched first by scripts/fetch-models.sh);
#  2. end-to-end and network tests against the built node binary (polkadot.js client):
#     a signed transfer and market jobs (redundancy, a disputed optimistic job) on a dev node,
#     a dev provider node proving digits and lending-risk jobs (requested from polkadot.js,
#     aichain-client and Python), audited by aichain-client, snarkjs files through the client,
#     a 4-validator network losing and regaining a validator, and zombienet's test of the
#     4-validator network (native provider), in three lanes (scripts/network-tests.sh);
#  between the two, the compute engine compiled with candle's CUDA backend
#  (scripts/check-cuda.sh: nvcc from PyPI, no GPU needed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh" >/dev/null
bash "$ROOT/scripts/fetch-models.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"

echo "== cargo tests (build and fetch took ${SECONDS} s)"
# The client is tested on its own (and against a node below), so that its dependencies'
# features do not change, and rebuild, everything else (see scripts/build.sh).
# The same features as the node's build (scripts/env.sh), so only the test targets compile here.
cargo test --release --locked --workspace --exclude aichain-client --features "$WORKSPACE_FEATURES"
cargo test --release --locked -p aichain-client

echo "== the CUDA build (${SECONDS} s so far)"
bash scripts/check-cuda.sh

echo "== network tests (node binary: $NODE_BIN; ${SECONDS} s so far)"
cd zombienet
npm test
echo "== all tests passed in ${SECONDS} s"
