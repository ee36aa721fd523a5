//! `aichain-node`: the full node of the AI compute chain.
//!
//! Runs Aura block authoring and GRANDPA finality over the runtime in `aichain-runtime`, with
//! offchain workers, JSON-RPC and Prometheus metrics. See `aichain-node --help`.
#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod provider;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	// Before any thread starts (the compute engine's candle reads it on every product).
	aichain_offchain_worker::threads::pin_candle_threads();
	command::run()
}
