//! The pallet's logic, one concern per file, each an `impl<T: Config> Pallet<T>` of `do_*`
//! functions called by the thin dispatchables in `lib.rs` and by the block hook.

mod expiry;
mod manifest;
mod registry;
mod renew;
mod store;
mod try_state;
