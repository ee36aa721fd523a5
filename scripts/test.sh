#!/usr/bin/env bash
# Runs the whole test suite: Rust unit and integration tests (runtime, pallets, crates), then the
# end-to-end and multi-validator network tests against the built node binary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh" >/dev/null
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"

echo "== cargo tests"
cargo test --release --locked --workspace

echo "== network tests (node binary: $NODE_BIN)"
(cd zombienet && npm install --no-audit --no-fund --loglevel=error && npm test)
