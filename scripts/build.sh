#!/usr/bin/env bash
# Builds the node (and with it the wasm runtime) and the command-line client `aichain-client`
# in release mode, after making sure the machine has what the build needs. Prints the path of
# the node binary on its last line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
cd "$ROOT"
# The whole workspace but the client, with the tests' features (see WORKSPACE_FEATURES in env.sh).
cargo build --release --locked --workspace --exclude aichain-client --features "$WORKSPACE_FEATURES" >&2
# The client on its own: built together, subxt's features of shared crates (scale-info's
# `docs`, `decode`) would unify into the node's and rebuild all of it.
cargo build --release --locked -p aichain-client >&2
echo "$NODE_BIN"
