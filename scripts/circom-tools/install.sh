#!/usr/bin/env bash
# Installs the pinned circom2 and snarkjs of this folder's package-lock.json (npm ci: every
# package's integrity hash checked) into ~/.cache/aichain/circom-tools, once; prints that path.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${AICHAIN_CIRCOM_TOOLS:-$HOME/.cache/aichain/circom-tools}"
mkdir -p "$TOOLS"
if ! cmp -s "$HERE/package-lock.json" "$TOOLS/package-lock.json" || [ ! -x "$TOOLS/node_modules/.bin/snarkjs" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$TOOLS/"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
echo "$TOOLS"
