//! The pallet's logic, one concern per file, each an `impl<T: Config> Pallet<T>` of `do_*`
//! functions called by the thin dispatchables in `lib.rs`.

mod blob_limits;
mod lifecycle;
mod register;
mod registry;
mod try_state;
