#!/usr/bin/env bash
# Command-line client of the chain (polkadot.js): register the digits model and a provider,
# submit jobs and wait for their verified output, list jobs, workers, models and balances.
# See zombienet/client.mjs for the commands. Installs the JavaScript dependencies on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -d "$ROOT/zombienet/node_modules/@polkadot/api" ] || (cd "$ROOT/zombienet" && npm ci --silent)
exec node "$ROOT/zombienet/client.mjs" "$@"
