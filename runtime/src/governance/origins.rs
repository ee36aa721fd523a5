//! The governance origins of the runtime's tracks beyond root, and what each may do:
//! `ComputeRequester` requests computations and treasury spends up to [`COMPUTE_BUDGET`] each,
//! `ModelAdmin` approves the models the treasury may pay for.

use crate::{Balance, UNIT};
use frame_support::traits::EnsureOrigin;

/// The most one computation request (or treasury spend) of the `compute` track may cost.
pub const COMPUTE_BUDGET: Balance = 10_000 * UNIT;

pub use pallet_custom_origins::Origin;

/// The pallet that declares the governance origins (it has no calls and no storage).
#[frame_support::pallet]
pub mod pallet_custom_origins {
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origins of the governance tracks.
	#[derive(
		PartialEq, Eq, Clone, Copy, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A passed referendum of the `compute` track: requests verified computations (and
		/// spends) paid by the treasury, each within the track's budget.
		ComputeRequester,
		/// A passed referendum of the `model_admin` track: approves the models governance
		/// requests may use.
		ModelAdmin,
	}
}

/// The `compute` track's origin; succeeds with its budget per request.
pub struct ComputeSpender;

impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for ComputeSpender {
	type Success = Balance;

	fn try_origin(o: O) -> Result<Balance, O> {
		o.into().and_then(|origin| match origin {
			Origin::ComputeRequester => Ok(COMPUTE_BUDGET),
			other => Err(O::from(other)),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::ComputeRequester))
	}
}

/// The `model_admin` track's origin.
pub struct ModelAdmin;

impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for ModelAdmin {
	type Success = ();

	fn try_origin(o: O) -> Result<(), O> {
		o.into().and_then(|origin| match origin {
			Origin::ModelAdmin => Ok(()),
			other => Err(O::from(other)),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::ModelAdmin))
	}
}
