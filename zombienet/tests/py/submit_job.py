"""Submits a zk-tier job from Python (py-substrate-interface, PyPI `substrate-interface`), as
docs/dapp-developers.md shows, and waits for its verified output.

    python submit_job.py URL SURI MODEL INPUT_HEX

Prints one JSON line: {"job": ID, "output": "0x…", "block": N} once the job's
`Jobs.JobCompleted` event is in a finalized block; exits 1 if it is refunded or times out.
"""
import json
import sys
import time

from substrateinterface import Keypair, SubstrateInterface


def main():
    url, suri, model, input_hex = sys.argv[1:5]
    chain = SubstrateInterface(url=url)
    call = chain.compose_call("Jobs", "submit_job", {
        "model": int(model), "input": input_hex, "tier": "Zk",
        "max_price": 2 * 10**12, "deadline": 20})
    extrinsic = chain.create_signed_extrinsic(call=call, keypair=Keypair.create_from_uri(suri))
    receipt = chain.submit_extrinsic(extrinsic, wait_for_finalization=True)
    if not receipt.is_success:
        sys.exit(f"submit_job failed: {receipt.error_message}")
    job = next(e.value["attributes"]["job"] for e in receipt.triggered_events
               if e.value["module_id"] == "Jobs" and e.value["event_id"] == "JobSubmitted")
    block = chain.get_block_number(receipt.block_hash)
    deadline = time.time() + 180
    while time.time() < deadline:
        head = chain.get_block_number(chain.get_chain_finalised_head())
        while block <= head:
            for event in chain.get_events(chain.get_block_hash(block)):
                value = event.value
                if value["module_id"] != "Jobs" or value["attributes"].get("job") != job:
                    continue
                if value["event_id"] == "JobCompleted":
                    print(json.dumps({"job": job, "output": value["attributes"]["output"], "block": block}))
                    return
                if value["event_id"] == "JobRefunded":
                    sys.exit(f"job {job} was refunded")
            block += 1
        time.sleep(1)
    sys.exit(f"job {job}: no result in 180 s")


if __name__ == "__main__":
    main()
