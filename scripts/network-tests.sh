#!/usr/bin/env bash
# The network tests (zombienet/tests/, node:test, TAP output) in three lanes, run from zombienet/:
#  - lane 1: the dev provider node's tests (e2e-provider: proving on the CPU), then the 4
#    validator-providers (network-providers), which prove and embed on every node;
#  - lane 2: the light dev-node tests and the 4-validator network (e2e-market, e2e-transfer,
#    network), then zombienet's own 4-validator finality test (0001-finality.zndsl, native
#    provider), which mostly wait for blocks;
#  - lane 3: the trainings on 4 validator-providers (network-training): the 4 hospitals of
#    private federated learning, which mostly wait for their rounds' blocks (a member's proof
#    is a few seconds of a 10-block deadline), then a DiLoCo language-model training on the
#    same nodes.
# Lanes' times in a CI run on 2 cores, side by side: lane 1 ~1,670 s (network-providers ran
# after all lanes until then), lane 2 ~800 s + zombienet, lane 3 ~1,410 s (private FL ~600 s,
# then DiLoCo ~790 s). Each lane starts its own nodes on its own random ports. Lanes 1's and
# 3's reports are printed after lane 2's, so that they do not interleave. Needs NODE_BIN
# (scripts/env.sh). Exits non-zero if any test failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../zombienet"
provider_report="$(mktemp)"
training_report="$(mktemp)"
trap 'rm -f "$provider_report" "$training_report"' EXIT
status=0
node --test --test-concurrency=1 tests/e2e-provider.test.js tests/network-providers.test.js >"$provider_report" 2>&1 &
provider_lane=$!
node --test --test-concurrency=1 tests/network-training.test.js >"$training_report" 2>&1 &
training_lane=$!
node --test --test-concurrency=1 tests/e2e-market.test.js tests/e2e-transfer.test.js tests/network.test.js || status=1
echo "== zombienet: 4 validators, one restarted"
PATH="$(dirname "$NODE_BIN"):$PATH" npm run --silent zombienet || status=1
wait "$provider_lane" || status=1
cat "$provider_report"
wait "$training_lane" || status=1
cat "$training_report"
exit "$status"
