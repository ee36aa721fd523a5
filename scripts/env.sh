# Shared build environment, sourced by every script (not executed on its own).
#
# - Builds use Debian's rustc 1.96 (`rustc-web`), the one compiler here with a wasm32v1-none
#   target; using one compiler for native and wasm avoids rebuilding every dependency.
# - The cargo target directory lives outside the checkout, so a fresh clone (CI) reuses the build.
export PATH="/usr/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/aichain/target}"
# The wasm builder looks for Cargo.lock above the target directory unless told where it is.
export WASM_BUILD_WORKSPACE_HINT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The features of the one workspace build that both the node binary (scripts/build.sh) and the
# tests (scripts/test.sh) use. `cargo test --workspace` turns on every member's default features
# and the test-only `aichain-zk/testing` (dev-dependencies); building the node with exactly
# these makes the tests reuse its runtime (native and wasm) and every library instead of
# compiling them a second time with other features (~10 minutes on a fresh clone here).
# `fast-runtime`: governance periods of a few blocks (dev networks and tests; see
# docs/governance.md); a production build leaves it out.
export WORKSPACE_FEATURES="aichain-zk/testing,aichain-runtime/fast-runtime,aichain-node/fast-runtime"
export NODE_BIN="$CARGO_TARGET_DIR/release/aichain-node"
export CLIENT_BIN="$CARGO_TARGET_DIR/release/aichain-client"
export PY_SUBSTRATE="$HOME/.cache/aichain/py-substrate/bin/python"
