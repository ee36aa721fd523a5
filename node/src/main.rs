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
	command::run()
}
