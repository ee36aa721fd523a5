#!/usr/bin/env bash
# The network tests (zombienet/tests/, node:test, TAP output) in two lanes, run from zombienet/:
#  - lane 1: the dev provider node's tests (e2e-provider: proving on the CPU) and, beside it,
#  - lane 2: the light dev-node tests and the 4-validator network (e2e-market, e2e-transfer,
#    network), which mostly wait for blocks;
#  then the 4 validator-providers (network-providers) alone, as they prove on every node, then
#  the 4 hospitals of private federated learning (network-private-fl) alone, likewise.
# Each lane starts its own nodes on its own random ports. Lane 1's report is printed after
# lane 2's so the two do not interleave. Exits non-zero if any test failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../zombienet"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
node --test --test-concurrency=1 tests/e2e-provider.test.js >"$report" 2>&1 &
provider_lane=$!
node --test --test-concurrency=1 tests/e2e-market.test.js tests/e2e-transfer.test.js tests/network.test.js || status=1
wait "$provider_lane" || status=1
cat "$report"
node --test --test-concurrency=1 tests/network-providers.test.js || status=1
node --test --test-concurrency=1 tests/network-private-fl.test.js || status=1
exit "$status"
