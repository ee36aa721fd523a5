//! # A member's step of private federated learning
//!
//! Hospitals of a consortium train one linear diagnostic model together without their patient
//! records ever leaving their servers, and without any single hospital's update appearing on
//! chain. Each round, every member proves with one Groth16 proof ([`circuit`]) that its output is
//!
//! ```text
//! masked = clip_C( −⌊ Σ_i p_i · clip_R(e_i) · x_i / 2^LR_SHIFT ⌋ ) + noise + Σ_peers ±mask(seed, nonce)   (mod 2^32)
//! ```
//!
//! where
//! - the rows `x_i` (30 features as signed 4-bit values, a label, a present flag) are the data the
//!   member **committed** to once: `Poseidon(domain, salt, rows…)` ([`data`], [`poseidon`]);
//! - `e_i = w·x_i + b − t_i` is the least-squares residual of the current global parameters
//!   (`t_i = ±2^16`), clipped to `±R` so that one patient's record moves the update by a bounded
//!   amount (the sensitivity of the differential-privacy accounting);
//! - the update is clipped per coordinate to `±C`, which with the noise bound also bounds what a
//!   poisoned update can do (`C + NOISE_BOUND` per coordinate and round);
//! - `noise` is the member's discrete Gaussian noise ([`noise`]), proven to lie within `±NOISE_BOUND`;
//! - the masks come from pairwise seeds the member shares with each peer ([`masks`]), whose
//!   Poseidon commitments are public: the masks of a pair cancel in the sum of all members'
//!   outputs, so the chain learns only `Σ update + Σ noise`.
//!
//! The native computation is [`step`], the circuit [`circuit`], the member [`member`], and a
//! provider node's memberships (config files next to its chain data) [`node`]. A job's input (public) is the
//! current parameters, the round's nonce, the member's data commitment and its peers' seed
//! commitments and roles ([`step::MemberInput`]); its output is the masked update.

pub mod circuit;
pub mod consortium;
pub mod data;
pub mod masks;
pub mod member;
pub mod node;
pub mod noise;
pub mod poseidon;
pub mod step;

/// Features of a patient record (the Wisconsin breast-cancer measurements).
pub const FEATURES: usize = 30;
/// Parameters of the model: a weight per feature and the bias.
pub const PARAMETERS: usize = FEATURES + 1;
/// Bits of a quantized feature: a signed value in `−8..=7`, stored as `value + 8`.
pub const FEATURE_BITS: usize = 4;
/// Bits of a row: the features, the label bit, the present bit.
pub const ROW_BITS: usize = FEATURES * FEATURE_BITS + 2;
/// Rows packed into one field element of the data commitment (2 × 122 bits < 253).
pub const ROWS_PER_ELEMENT: usize = 2;
/// Rows a member's data set holds at most (shorter sets are padded with absent rows).
pub const MAX_ROWS: usize = 184;
/// Field elements the rows are packed into.
pub const ROW_ELEMENTS: usize = MAX_ROWS / ROWS_PER_ELEMENT;
/// Fractional bits of the parameters (`i32` at scale `2^16`).
pub const WEIGHT_FRAC: u32 = 16;
/// A residual is clipped to `±RESIDUAL_CLIP` (1.0 at scale `2^16`: a record whose score is already past its target by more than one pulls no harder).
pub const RESIDUAL_CLIP: i128 = 1 << 16;
/// The learning rate is `2^-LR_SHIFT` on the gradient summed over the member's rows.
pub const LR_SHIFT: u32 = 15;
/// Each coordinate of a member's update is clipped to `±UPDATE_CLIP` (1/256 at scale `2^16`: above every honest update of the breast-cancer rounds from zero, about 200 at most, so it binds only on steps far from them).
pub const UPDATE_CLIP: i128 = 1 << 8;
/// A member's noise lies in `−NOISE_BOUND..NOISE_BOUND` (proven by a range check). The circuit
/// cannot prove how noise was drawn, so a dishonest member may move each coordinate by up to
/// `UPDATE_CLIP + NOISE_BOUND` per round: the bound is kept at 10σ of the consortium's σ = 200
/// (the discrete Gaussian's mass beyond it is about `e^-50` per coordinate).
pub const NOISE_BOUND: i128 = 1 << 11;
/// Peers a member masks with at most: consortia of up to 4 members.
pub const MAX_PEERS: usize = aichain_compute::federated::MAX_PEERS;
/// Bytes of a job's input: parameters, nonce, data commitment, peers (commitment and role).
pub const INPUT_LEN: usize = aichain_compute::federated::member_input_len(PARAMETERS);
/// Bytes of a job's output: the masked update, `PARAMETERS` words mod `2^32`.
pub const OUTPUT_LEN: usize = 4 * PARAMETERS;
/// The name whose SHA-256 identifies the circuit on chain.
pub const CIRCUIT_NAME: &str = "aichain/private-fl/linear-least-squares/features=30x4bit/rows=184/residual-clip=2^16/lr=2^-15/update-clip=2^8/noise-bound=2^11/peers=3/v1";

/// The SHA-256 of [`CIRCUIT_NAME`]: the circuit's identity on chain and in the key cache.
pub fn circuit_id() -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(CIRCUIT_NAME.as_bytes()).into()
}

/// The L2 sensitivity squared of one member's update to one patient's record (added or removed),
/// in squared units of `2^-16`: a record moves coordinate `j`'s summed gradient by at most
/// `R·|x_j| ≤ R·8` (`R` for the bias), hence its floor division by `2^LR_SHIFT` by at most
/// `⌈R·8 / 2^LR_SHIFT⌉` (`|⌊a/m⌋ − ⌊b/m⌋| ≤ ⌈|a − b|/m⌉`), and clipping to `±C` never increases a
/// change: `30·16² + 2² = 7,684`.
pub const fn sensitivity_squared() -> u128 {
	let weight = ((RESIDUAL_CLIP * 8) as u128).div_ceil(1 << LR_SHIFT);
	let bias = (RESIDUAL_CLIP as u128).div_ceil(1 << LR_SHIFT);
	FEATURES as u128 * weight * weight + bias * bias
}
