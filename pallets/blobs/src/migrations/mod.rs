//! Storage migrations of the blobs pallet, one per version.

pub mod v1;
