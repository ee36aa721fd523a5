//! Blob limits: only the owner of an active model sets them, within the runtime's bounds and
//! with a bounded sketch; retirement removes them; the registry reads them for active models.

use super::*;
use crate::{BlobLimits, BlobLimitsOf};

/// Up to 64 KiB of input, rows of 32 bytes in outputs of up to 7 + 32 × 127 bytes (a sketch of
/// 32 + 127 = 159 entries), tolerance 4.
fn limits() -> BlobLimits {
	BlobLimits { max_input_len: 64 * 1024, max_output_len: 7 + 32 * 127, output_row_len: 32, sketch_tolerance: 4 }
}

/// An embedding model of Alice's: id 0.
fn embedding_model() -> u32 {
	assert_ok!(Models::register_model(origin(ALICE), crate::ModelSpec { kind: ModelKind::Embedding, output_tolerance: 1, ..spec() }));
	0
}

#[test]
fn the_owner_sets_and_removes_blob_limits_which_the_registry_reads() {
	run_test(|| {
		let model = embedding_model();
		assert_eq!(Models::blob_limits(model), None);
		assert_ok!(Models::set_blob_limits(origin(ALICE), model, Some(limits())));
		System::assert_last_event(Event::BlobLimitsSet { model, limits: Some(limits()) }.into());
		assert_eq!(Models::blob_limits(model), Some(limits()));
		// Inputs only: outputs stay inline, no row length needed.
		let inputs_only = BlobLimits { max_output_len: 0, output_row_len: 0, sketch_tolerance: 0, ..limits() };
		assert_ok!(Models::set_blob_limits(origin(ALICE), model, Some(inputs_only)));
		assert_eq!(Models::blob_limits(model), Some(inputs_only));
		assert_ok!(Models::set_blob_limits(origin(ALICE), model, None));
		System::assert_last_event(Event::BlobLimitsSet { model, limits: None }.into());
		assert_eq!(Models::blob_limits(model), None);
	});
}

#[test]
fn bad_blob_limits_are_refused_with_their_own_errors_and_change_nothing() {
	run_test(|| {
		let model = embedding_model();
		let cases = [
			(BlobLimits { max_input_len: 0, max_output_len: 0, ..limits() }, Error::<Test>::NoBlobLimits),
			(BlobLimits { output_row_len: 0, ..limits() }, Error::<Test>::NoBlobLimits),
			(BlobLimits { max_input_len: (1 << 20) + 1, ..limits() }, Error::<Test>::LimitTooHigh),
			(BlobLimits { max_output_len: 4097, ..limits() }, Error::<Test>::LimitTooHigh),
			(BlobLimits { max_output_len: 7 + 31, ..limits() }, Error::<Test>::BadRowLength),
			// Rows of 16 bytes: 16 + 4071 / 16 = 270 entries, above the mock's 200.
			(BlobLimits { output_row_len: 16, ..limits() }, Error::<Test>::SketchTooLong),
		];
		for (bad, error) in cases {
			assert_noop!(Models::set_blob_limits(origin(ALICE), model, Some(bad)), error);
		}
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert_noop!(Models::set_blob_limits(origin(ALICE), 1, Some(limits())), Error::<Test>::ToleranceOnExactModel);
		let exact = BlobLimits { sketch_tolerance: 0, ..limits() };
		assert_ok!(Models::set_blob_limits(origin(ALICE), 1, Some(exact)));
		// A training step's changes are quantized floats: a sketch tolerance is allowed.
		let training_step = crate::ModelSpec { kind: ModelKind::TrainingStep, weights_sha256: [8; 32], ..spec() };
		assert_ok!(Models::register_model(origin(ALICE), training_step));
		assert_ok!(Models::set_blob_limits(origin(ALICE), 2, Some(limits())));
	});
}

#[test]
fn only_the_owner_of_an_active_model_sets_blob_limits_and_retiring_removes_them() {
	run_test(|| {
		let model = embedding_model();
		assert_noop!(Models::set_blob_limits(origin(BOB), model, Some(limits())), Error::<Test>::NotModelOwner);
		assert_noop!(Models::set_blob_limits(origin(ALICE), 9, Some(limits())), Error::<Test>::UnknownModel);
		assert_ok!(Models::set_blob_limits(origin(ALICE), model, Some(limits())));
		assert_ok!(Models::retire_model(origin(ALICE), model));
		assert!(!BlobLimitsOf::<Test>::contains_key(model));
		assert_eq!(Models::blob_limits(model), None);
		assert_noop!(Models::set_blob_limits(origin(ALICE), model, Some(limits())), Error::<Test>::ModelRetired);
	});
}
