#!/usr/bin/env bash
# Regenerates the weights of this project's pallets from their benchmarks, measured on this
# machine: builds the node with `--features runtime-benchmarks` (a separate, longer build that
# the normal build and CI never do) and runs `benchmark pallet` for each pallet, writing
# pallets/<name>/src/weights.rs through scripts/frame-weight-template.hbs.
#
#   scripts/benchmark.sh [pallet_name ...]     # default: every pallet of this repository
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"

# frame-benchmarking-cli's storage-access test runtime is a wasm crate from the registry; with
# WASM_BUILD_WORKSPACE_HINT pointing at this workspace its build cannot find itself. It is only
# used by `benchmark storage`, which this project does not run.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release --locked -p aichain-node --features runtime-benchmarks
BENCH_BIN="$CARGO_TARGET_DIR/release/aichain-node"

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(pallet_zk_verifier pallet_models pallet_workers pallet_jobs pallet_rewards pallet_training pallet_diloco pallet_private_training pallet_compute_governance pallet_blobs)
for pallet in "${pallets[@]}"; do
  dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
  echo "== benchmarking $pallet into $dir/src/weights.rs"
  "$BENCH_BIN" benchmark pallet \
    --chain dev --pallet "$pallet" --extrinsic '*' \
    --steps 50 --repeat 20 --wasm-execution compiled \
    --heap-pages 4096 \
    --template scripts/frame-weight-template.hbs \
    --output "$dir/src/weights.rs"
done
# The benchmark build replaced the node binary: rebuild the normal one.
bash scripts/build.sh >/dev/null
