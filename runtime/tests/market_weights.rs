//! The market's per-block work at its benchmarked worst case fits in a block with room to
//! spare: `pallet_jobs`' `on_initialize` ending `MaxJobsPerBlock` phases (every worker of each
//! slashed, evicted and replaced from a full list of its own model, each job completing) and
//! assigning a full pending queue.

use aichain_runtime::Runtime;
use frame_support::traits::Get;

#[test]
fn the_jobs_hook_at_its_worst_case_takes_at_most_half_a_block() {
	let hook = pallet_jobs::Pallet::<Runtime>::worst_case_on_initialize();
	let block = <<Runtime as frame_system::Config>::BlockWeights as Get<frame_system::limits::BlockWeights>>::get().max_block;
	println!(
		"worst-case jobs on_initialize: {:.1} ms of {:.0} ms ({:.1} %), proof size {} KiB",
		hook.ref_time() as f64 / 1e9,
		block.ref_time() as f64 / 1e9,
		100.0 * hook.ref_time() as f64 / block.ref_time() as f64,
		hook.proof_size() / 1024,
	);
	assert!(hook.ref_time() <= block.ref_time() / 2, "{hook:?} of {block:?}");
}
