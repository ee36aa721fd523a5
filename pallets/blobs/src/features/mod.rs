//! The pallet's logic, one concern per file, each an `impl<T: Config> Pallet<T>` of `do_*`
//! functions called by the thin dispatchables in `lib.rs` and by the block hook.

mod expiry;
mod manifest;
mod renew;
mod store;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
