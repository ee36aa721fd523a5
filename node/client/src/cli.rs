//! The client's command line: the global options and every command with its arguments (clap).
//! What each command does is in `main.rs` and the modules it calls.

use crate::{governance, private_training};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "aichain-client", about = "Use the AI compute chain from the command line")]
pub struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Who signs transactions: a dev seed (`//Bob`) or a secret phrase with an optional path.
	#[arg(long, global = true, default_value = "//Bob")]
	pub suri: String,
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
	/// Register a model (and, with --verifying-key-file, its Groth16 verifying key first).
	RegisterModel {
		#[arg(long)]
		name: String,
		/// A `ModelKind` of the runtime, in kebab case: classifier, embedding, training-step, ...
		/// (read from the runtime's metadata).
		#[arg(long)]
		kind: String,
		/// SHA-256 of the weights (hex), as providers' nodes compute it.
		#[arg(long)]
		weights_sha256: String,
		/// Where the weights can be fetched.
		#[arg(long)]
		content_address: String,
		/// A SCALE-encoded verifying key (`offchain-worker/models/keys/<sha>.vk`): zk-provable.
		#[arg(long, conflicts_with = "snarkjs_verification_key")]
		verifying_key_file: Option<PathBuf>,
		/// A snarkjs `verification_key.json` (Groth16, bn128), used as it is: zk-provable.
		#[arg(long)]
		snarkjs_verification_key: Option<PathBuf>,
		/// Price of one job, in AIC.
		#[arg(long)]
		price: f64,
		/// The owner's royalty, in basis points of the price.
		#[arg(long, default_value_t = 0)]
		royalty_bps: u16,
		#[arg(long)]
		max_input_len: u32,
		#[arg(long)]
		max_output_len: u32,
		/// Fewest blocks a job may give each phase (how long an honest provider needs).
		#[arg(long, default_value_t = 10)]
		min_timeout: u32,
		/// How far two providers' outputs may differ per signed byte and still agree
		/// (embeddings only; 0: exact bytes).
		#[arg(long, default_value_t = 0)]
		output_tolerance: u8,
	},
	/// Submit a job with the bytes of a file as input (or a blob the chain keeps, by its CID:
	/// see `put`), wait for it and print its output.
	SubmitJob {
		#[arg(long)]
		model: u32,
		#[arg(long, required_unless_present = "input_cid")]
		input_file: Option<PathBuf>,
		/// The CID of a kept blob (a file stored with `put`): providers read it from their own
		/// nodes (`Jobs.submit_blob_job`; redundancy and optimistic tiers).
		#[arg(long, conflicts_with = "input_file")]
		input_cid: Option<String>,
		/// A `Tier` of the runtime in kebab case, with its number after a colon: zk, optimistic,
		/// redundancy:N (read from the runtime's metadata).
		#[arg(long, default_value = "zk")]
		tier: String,
		/// The most the job may hold in escrow, in AIC.
		#[arg(long, default_value_t = 10.0)]
		max_price: f64,
		/// Blocks each phase of the job may take.
		#[arg(long, default_value_t = 20)]
		deadline: u32,
		/// Print the job id and return without waiting for the result.
		#[arg(long)]
		no_wait: bool,
		/// A blob-output job: where to write the output blob (fetched from the node by its CID,
		/// hash checked).
		#[arg(long)]
		out: Option<PathBuf>,
		/// A sealed job (`Jobs.submit_sealed_job`): the input file is sealed under a fresh job
		/// key (kept in `<out>.key`) and stored as a blob, the key is sent sealed to each
		/// assigned worker, and the sealed output is opened into `--out`. Only the requester and
		/// the assigned workers can read the input and the output.
		#[arg(long, requires_all = ["input_file", "out"], conflicts_with_all = ["input_cid", "no_wait"])]
		seal: bool,
	},
	/// Let a model you own take blob inputs and answer them with row blobs, or stop it (`--remove`).
	SetBlobLimits {
		#[arg(long)]
		model: u32,
		/// The largest blob input, in bytes (a whole file under a manifest); 0: none.
		#[arg(long, default_value_t = 0, conflicts_with = "remove")]
		max_input_len: u64,
		/// The largest output blob, in bytes; 0: outputs stay inline.
		#[arg(long, default_value_t = 0, conflicts_with = "remove")]
		max_output_len: u32,
		/// The length of each row of an output blob.
		#[arg(long, default_value_t = 0, conflicts_with = "remove")]
		output_row_len: u16,
		/// How far replicas' sketches of an output blob may differ per entry (embeddings).
		#[arg(long, default_value_t = 0, conflicts_with = "remove")]
		sketch_tolerance: u32,
		/// Remove the model's blob limits.
		#[arg(long)]
		remove: bool,
	},
	/// Re-verify a completed zk job from chain data alone: find its input, output, proof and
	/// verifying key in the blocks and check the proof on this machine.
	AuditJob {
		job: u64,
		/// How many finalized blocks back to look.
		#[arg(long, default_value_t = 10_000)]
		max_blocks: u64,
	},
	/// Verify a snarkjs Groth16 proof locally with the chain's verifier, from snarkjs' own files.
	VerifySnarkjs {
		/// `verification_key.json`.
		#[arg(long)]
		verification_key: PathBuf,
		/// `proof.json`.
		#[arg(long)]
		proof: PathBuf,
		/// `public.json`.
		#[arg(long)]
		public: PathBuf,
	},
	/// List the open jobs.
	Jobs,
	/// List the registered workers.
	Workers,
	/// List the registered models.
	Models,
	/// Show an account's balance (default: the signer's).
	Balance { account: Option<String> },
	/// Propose a computation paid by the treasury as a referendum (docs/governance.md).
	ProposeComputation(governance::ProposeComputation),
	/// Vote on a referendum.
	Vote {
		referendum: u32,
		#[arg(long, conflicts_with = "nay", required_unless_present = "nay")]
		aye: bool,
		#[arg(long)]
		nay: bool,
		/// How much to vote with, in AIC (locked for the conviction's period).
		#[arg(long)]
		balance: f64,
		/// `none` (a tenth of a vote, no lock) or `locked1x` … `locked6x`.
		#[arg(long, default_value = "locked1x")]
		conviction: String,
	},
	/// Show referenda, governance requests with their jobs, and what they triggered.
	Referenda {
		/// How many recent blocks to show governance events of.
		#[arg(long, default_value_t = 100)]
		blocks: u64,
	},
	/// Rank the lines of a document by meaning: the query is embedded on this machine (MiniLM,
	/// from `scripts/fetch-models.sh`) and compared (cosine) with every row of a document
	/// embedding job's output.
	Search {
		/// The job's output: a row output (`submit-job --out`, or `get`).
		#[arg(long)]
		rows: PathBuf,
		/// What to look for.
		#[arg(long)]
		query: String,
		/// The document the rows embed (one line per row), to print the lines found.
		#[arg(long)]
		documents: Option<PathBuf>,
		/// How many lines to print.
		#[arg(long, default_value_t = 5)]
		top: usize,
	},
	/// Private federated learning (docs/federated-learning.md).
	#[command(flatten)]
	PrivateTraining(private_training::FlCommand),
	/// Print the character language model's `register-model` arguments, as providers compute
	/// them (no node).
	DilocoCard,
	/// Create a DiLoCo training of the character model from seeded parameters (the signer owns
	/// it and pays its rounds).
	DilocoCreate {
		/// The model record whose blob-output jobs run shard tasks.
		#[arg(long)]
		shard_model: u32,
		/// The model record whose inline jobs over blobs run outer tasks.
		#[arg(long)]
		outer_model: u32,
		/// Shard jobs per round.
		#[arg(long, default_value_t = 2)]
		shards: u32,
		/// Local AdamW steps per shard.
		#[arg(long, default_value_t = 25)]
		steps: u32,
		/// Workers per job.
		#[arg(long, default_value_t = 2)]
		replicas: u8,
		/// The most each worker is paid per job, in AIC.
		#[arg(long, default_value_t = 2.0)]
		max_price: f64,
		/// Blocks per phase of each job.
		#[arg(long, default_value_t = 20)]
		deadline: u32,
		/// Seeds the initial parameters.
		#[arg(long, default_value_t = 0)]
		seed: u64,
	},
	/// Run rounds of a DiLoCo training to their end: store each round's inputs, start its jobs,
	/// compute and store the agreed next state, advance; print each round's validation loss and
	/// a sample.
	DilocoRound {
		#[arg(long)]
		training: u32,
		#[arg(long, default_value_t = 1)]
		rounds: u32,
		/// Give up after this many seconds.
		#[arg(long, default_value_t = 1800)]
		timeout: u64,
		/// The text samples continue.
		#[arg(long, default_value = "KING.\n")]
		prompt: String,
	},
	/// Show a DiLoCo training's validation loss and a sample of its current parameters.
	DilocoSample {
		#[arg(long)]
		training: u32,
		#[arg(long, default_value = "KING.\n")]
		prompt: String,
	},
	/// Store a file as a blob (pieces and a manifest if it is larger than one); print its CID.
	Put { file: PathBuf },
	/// Read the file a CID names from the node's indexed data, checking every piece's hash.
	Get {
		cid: String,
		/// Where to write it (default: standard output).
		#[arg(long)]
		out: Option<PathBuf>,
	},
}

