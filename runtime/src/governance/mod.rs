//! On-chain governance in the manner of the Polkadot fellowship runtimes: referenda on tracks
//! (`tracks.rs`), each track with its own origin (`origins.rs`), conviction voting, a council,
//! the treasury and the compute-governance pallet, whose `compute` track requests verified
//! computations paid by the treasury within the track's budget.
//!
//! Periods are realistic by default; the `fast-runtime` feature shortens them to a few blocks
//! so that tests and local networks see a referendum through in a minute.

pub mod origins;
pub mod tracks;

pub use origins::pallet_custom_origins;

use crate::BlockNumber;

/// `prod` blocks in the normal build, `fast` under the `fast-runtime` feature.
pub const fn prod_or_fast(prod: BlockNumber, fast: BlockNumber) -> BlockNumber {
	if cfg!(feature = "fast-runtime") {
		fast
	} else {
		prod
	}
}
