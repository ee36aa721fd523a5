#!/usr/bin/env bash
# Burst throughput of the compute market on a local 4-validator network whose validators are all
# providers: JOBS (default 200) zk-tier digits jobs submitted at once; prints jobs completed and
# verified per minute and the block weight that verification used per block (JSON).
#
#   scripts/throughput.sh            # or JOBS=50 scripts/throughput.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build.sh" >/dev/null
bash "$ROOT/scripts/fetch-models.sh"
source "$ROOT/scripts/env.sh"
exec node "$ROOT/zombienet/throughput.mjs"
