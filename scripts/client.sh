#!/usr/bin/env bash
# The command-line client of the chain (docs/client.md):
#  - register-model, submit-job, jobs, workers, models, balance: `aichain-client` (Rust, subxt;
#    node/client), built on first use;
#  - setup-digits, submit-digit: conveniences for the repository's digits model
#    (zombienet/client.mjs, polkadot.js; its JavaScript dependencies installed on first use).
#
#   scripts/client.sh [--url ws://127.0.0.1:9944] [--suri //Bob] <command> [options]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command=""
for arg in "$@"; do
  case "$arg" in setup-digits|submit-digit) command=js; break ;; esac
done
if [ "$command" = js ]; then
  [ -d "$ROOT/zombienet/node_modules/@polkadot/api" ] || (cd "$ROOT/zombienet" && npm ci --silent)
  exec node "$ROOT/zombienet/client.mjs" "$@"
fi
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
[ -x "$CLIENT_BIN" ] || (cd "$ROOT" && cargo build --release --locked -p aichain-client >&2)
exec "$CLIENT_BIN" "$@"
