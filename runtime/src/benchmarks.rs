//! The pallets benchmarked by `aichain-node benchmark pallet` (feature `runtime-benchmarks`).
frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_zk_verifier, ZkVerifier]
	[pallet_models, Models]
	[pallet_workers, Workers]
	[pallet_jobs, Jobs]
	[pallet_rewards, Rewards]
	[pallet_training, Training]
	[pallet_diloco, Diloco]
	[pallet_private_training, PrivateTraining]
	[pallet_compute_governance, ComputeGovernance]
	[pallet_blobs, Blobs]
);
