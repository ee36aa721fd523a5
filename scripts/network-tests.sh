#!/usr/bin/env bash
# The network tests (zombienet/tests/, node:test, TAP output) in two lanes, run from zombienet/:
#  - lane 1: the dev provider node's tests (e2e-provider: proving on the CPU); beside it,
#  - lane 2: the light dev-node tests and the 4-validator network (e2e-market, e2e-transfer,
#    network), then zombienet's own 4-validator finality test (0001-finality.zndsl, native
#    provider), which mostly wait for blocks;
#  then the 4 validator-providers (network-providers) alone, as they prove on every node, then
#  the 4 hospitals of private federated learning (network-private-fl) alone, likewise.
# The lanes are balanced by their times in CI (lane 1 ~790 s, lane 2 ~890 s on 2 cores). Each
# lane starts its own nodes on its own random ports. Lane 1's report is printed after lane 2's
# so the two do not interleave. Needs NODE_BIN (scripts/env.sh). Exits non-zero if any test
# failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../zombienet"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
node --test --test-concurrency=1 tests/e2e-provider.test.js >"$report" 2>&1 &
provider_lane=$!
node --test --test-concurrency=1 tests/e2e-market.test.js tests/e2e-transfer.test.js tests/network.test.js || status=1
echo "== zombienet: 4 validators, one restarted"
PATH="$(dirname "$NODE_BIN"):$PATH" npm run --silent zombienet || status=1
wait "$provider_lane" || status=1
cat "$report"
node --test --test-concurrency=1 tests/network-providers.test.js || status=1
node --test --test-concurrency=1 tests/network-private-fl.test.js || status=1
exit "$status"
