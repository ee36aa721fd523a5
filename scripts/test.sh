#!/usr/bin/env bash
# Runs the whole test suite:
#  1. Rust unit and integration tests of every crate (runtime, node, primitives, pallets), with
#     real Groth16 proofs (feature `aichain-zk/testing`);
#  2. end-to-end and network tests against the built node binary (polkadot.js client):
#     a signed transfer on a dev node, a 4-validator network losing and regaining a validator;
#  3. the zombienet test of the 4-validator network (native provider).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh" >/dev/null
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"

echo "== cargo tests"
cargo test --release --locked --workspace --features aichain-zk/testing

echo "== network tests (node binary: $NODE_BIN)"
cd zombienet
npm test

echo "== zombienet: 4 validators, one restarted"
PATH="$(dirname "$NODE_BIN"):$PATH" npm run zombienet
