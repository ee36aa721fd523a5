//! The referenda tracks: `root` (anything), `compute` (verified computations paid by the
//! treasury within a budget) and `model_admin` (which models governance may pay for). Each
//! track's origin is the one a passed referendum on it dispatches with.
//!
//! | id | track | decides at once | decision deposit | prepare | decide | confirm | enact after |
//! |---|---|---|---|---|---|---|---|
//! | 0 | `root` | 1 | 100,000 AIC | 2 h | 14 d | 1 d | 1 d |
//! | 1 | `compute` | 10 | 1,000 AIC | 10 min | 7 d | 1 h | 1 block |
//! | 2 | `model_admin` | 5 | 500 AIC | 10 min | 7 d | 3 h | 10 min |
//!
//! Under `fast-runtime`: prepare 1 block (root 2), decide 10 (root 20), confirm 1 (root 2),
//! enact after 1 block. Approval falls linearly from 100 % to 50 % over the decision period on
//! every track; support from 50 % (root) or 10 % (the others) to 0 %.

use super::{origins::Origin, prod_or_fast};
use crate::{Balance, BlockNumber, OriginCaller, DAYS, HOURS, MINUTES, UNIT};
use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as name, Perbill};

/// Approval needed: 100 % at the start of the decision period down to 50 % at its end.
const APPROVAL: Curve = Curve::LinearDecreasing {
	length: Perbill::from_percent(100),
	floor: Perbill::from_percent(50),
	ceil: Perbill::from_percent(100),
};

/// Support (turnout of aye votes) needed: `ceil` at the start down to nothing at the end.
const fn support(ceil: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(0),
		ceil: Perbill::from_percent(ceil),
	}
}

/// The track of the root origin.
pub const ROOT: u16 = 0;
/// The track of [`Origin::ComputeRequester`].
pub const COMPUTE: u16 = 1;
/// The track of [`Origin::ModelAdmin`].
pub const MODEL_ADMIN: u16 = 2;

static TRACKS: [Track<u16, Balance, BlockNumber>; 3] = [
	Track {
		id: ROOT,
		info: TrackInfo {
			name: name("root"),
			max_deciding: 1,
			decision_deposit: 100_000 * UNIT,
			prepare_period: prod_or_fast(2 * HOURS, 2),
			decision_period: prod_or_fast(14 * DAYS, 20),
			confirm_period: prod_or_fast(DAYS, 2),
			min_enactment_period: prod_or_fast(DAYS, 1),
			min_approval: APPROVAL,
			min_support: support(50),
		},
	},
	Track {
		id: COMPUTE,
		info: TrackInfo {
			name: name("compute"),
			max_deciding: 10,
			decision_deposit: 1_000 * UNIT,
			prepare_period: prod_or_fast(10 * MINUTES, 1),
			decision_period: prod_or_fast(7 * DAYS, 10),
			confirm_period: prod_or_fast(HOURS, 1),
			min_enactment_period: 1,
			min_approval: APPROVAL,
			min_support: support(10),
		},
	},
	Track {
		id: MODEL_ADMIN,
		info: TrackInfo {
			name: name("model_admin"),
			max_deciding: 5,
			decision_deposit: 500 * UNIT,
			prepare_period: prod_or_fast(10 * MINUTES, 1),
			decision_period: prod_or_fast(7 * DAYS, 10),
			confirm_period: prod_or_fast(3 * HOURS, 1),
			min_enactment_period: prod_or_fast(10 * MINUTES, 1),
			min_approval: APPROVAL,
			min_support: support(10),
		},
	},
];

/// The runtime's tracks, for `pallet_referenda`.
pub struct TracksInfo;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <crate::RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT),
			OriginCaller::Origins(Origin::ComputeRequester) => Ok(COMPUTE),
			OriginCaller::Origins(Origin::ModelAdmin) => Ok(MODEL_ADMIN),
			_ => Err(()),
		}
	}
}
