#!/usr/bin/env bash
# Builds the node and starts a local network that produces and finalizes blocks, where every
# node is also a compute provider (`--worker`), then registers the digits model (its Groth16
# verifying key) with Alice's node as its provider, so that a job can be submitted at once.
# Every node serves the chain's blobs over IPFS bitswap (`--ipfs-server`, docs/data.md):
#
#   scripts/start.sh            # one validator (Alice) on a development chain
#   scripts/start.sh --local    # four validators (Alice, Bob, Charlie, Dave), `--chain local`
#
# Prints where to connect (JSON-RPC/WebSocket URL and a polkadot.js Apps link) and how to submit
# a job with scripts/client.sh, then follows Alice's log. Ctrl-C stops every node. Chain data
# lives in a temporary directory removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_BIN="$(bash "$ROOT/scripts/build.sh" | tail -n 1)"
bash "$ROOT/scripts/fetch-models.sh"
RPC_PORT="${RPC_PORT:-9944}"
MODE="${1:-}"

if (exec 3<>"/dev/tcp/127.0.0.1/$RPC_PORT") 2>/dev/null; then
  echo "error: port $RPC_PORT is already in use (another node running?). Set RPC_PORT=<free port>." >&2
  exit 1
fi

DATA="$(mktemp -d -t aichain-net-XXXX)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT INT TERM

case "$MODE" in
  "")
    "$NODE_BIN" --dev --worker --ipfs-server --base-path "$DATA/alice" --rpc-port "$RPC_PORT" --rpc-cors all \
      >"$DATA/alice.log" 2>&1 &
    pids+=($!)
    ;;
  --local)
    # Validators of a non-dev chain need a network key: fixed, distinct keys for a local network.
    node_key() { printf '%064x' "$1"; }
    peer="$(node_key 1 | "$NODE_BIN" key inspect-node-key --file /dev/stdin)"
    i=0
    for who in alice bob charlie dave; do
      extra=()
      [ "$who" = alice ] || extra=(--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$peer")
      "$NODE_BIN" --chain local "--$who" --worker --ipfs-server --base-path "$DATA/$who" --port $((30333 + i)) \
        --node-key "$(node_key $((i + 1)))" --rpc-port $((RPC_PORT + i)) \
        --prometheus-port $((9615 + i)) --rpc-cors all --no-mdns \
        "${extra[@]}" >"$DATA/$who.log" 2>&1 &
      pids+=($!)
      i=$((i + 1))
    done
    ;;
  *) echo "usage: $0 [--local]" >&2; exit 2 ;;
esac

# Wait for the first finalized block on Alice.
for _ in $(seq 1 120); do
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "error: the node exited; its log:" >&2; tail -n 30 "$DATA/alice.log" >&2; exit 1
  fi
  if grep -q "finalized #[1-9]" "$DATA/alice.log" 2>/dev/null; then break; fi
  sleep 1
done
AICHAIN_RPC="ws://127.0.0.1:$RPC_PORT" bash "$ROOT/scripts/client.sh" setup-digits
cat <<MSG

AI compute chain is running ($([ -n "$MODE" ] && echo "4 validators" || echo "1 validator, dev")).
  JSON-RPC / WebSocket : ws://127.0.0.1:$RPC_PORT   (http://127.0.0.1:$RPC_PORT)
  polkadot.js Apps     : https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$RPC_PORT#/explorer
  Prometheus metrics   : http://127.0.0.1:9615/metrics
  Logs                 : $DATA/*.log
  Compute provider     : Alice's node serves the digits model (id 0, zk tier, 1 AIC a job)
  Submit a job         : scripts/client.sh submit-digit --digit 7      (waits for the verified output)
                         scripts/client.sh jobs | workers | models | balance //Bob
Ctrl-C stops the network.

MSG
tail -n 5 -f "$DATA/alice.log" &
pids+=($!)
wait "${pids[0]}"
