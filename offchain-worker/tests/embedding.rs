//! MiniLM-L6 sentence embeddings (weights fetched by `scripts/fetch-models.sh`): paraphrases are
//! closer than unrelated sentences, embeddings are normalised and batch-independent, jobs return
//! 384 signed bytes, a document job returns one such row per line, missing weights are a clear
//! error, and the encoder computes what candle-transformers' BERT computes.

use aichain_offchain_worker::{
	models::{
		digits::mlp,
		minilm::{
			embedding::{self, SentenceEmbedder, DIMENSIONS},
			encoder as minilm,
		},
	},
	Error,
};
use candle_core::{Device, Tensor};

fn embedder() -> SentenceEmbedder {
	SentenceEmbedder::load(&embedding::models_dir(), &mlp::device().unwrap())
		.expect("MiniLM weights: run scripts/fetch-models.sh")
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
	let model = embedder();
	let pairs = [
		("A man is playing a guitar.", "Someone plays the guitar.", "The stock market fell sharply today."),
		("How do I reset my password?", "I forgot my password, how can I change it?", "Penguins live in Antarctica."),
		("The cat sleeps on the sofa.", "A cat is napping on the couch.", "Interest rates were raised by the central bank."),
	];
	for (sentence, paraphrase, unrelated) in pairs {
		let e = model.embed(&[sentence, paraphrase, unrelated]).unwrap();
		let (close, far) = (embedding::cosine(&e[0], &e[1]), embedding::cosine(&e[0], &e[2]));
		println!("{sentence:?}: paraphrase {close:.3}, unrelated {far:.3}");
		assert!(close > far + 0.3, "{sentence:?}: paraphrase {close}, unrelated {far}");
	}
}

#[test]
fn embeddings_are_normalised_and_do_not_depend_on_the_batch() {
	let model = embedder();
	let alone = model.embed(&["Short."]).unwrap();
	let batched = model.embed(&["Short.", "A much longer sentence that forces padding of the first one."]).unwrap();
	assert_eq!(alone[0].len(), DIMENSIONS);
	let norm: f32 = alone[0].iter().map(|x| x * x).sum::<f32>().sqrt();
	assert!((norm - 1.0).abs() < 1e-4);
	assert!(embedding::cosine(&alone[0], &batched[0]) > 0.9999, "padding does not change an embedding");
	let job = model.infer("Short.".as_bytes()).unwrap();
	assert_eq!(job, embedding::quantize(&alone[0]));
	assert_eq!(job.len(), DIMENSIONS);
	assert!(matches!(model.infer(&[0xff, 0xfe]), Err(Error::Malformed { .. })));
}

#[test]
fn missing_weights_name_the_fetch_script() {
	let error = SentenceEmbedder::load(std::path::Path::new("/nonexistent"), &candle_core::Device::Cpu).err().unwrap();
	assert!(matches!(error, Error::ModelMissing { .. }));
	assert!(error.to_string().contains("scripts/fetch-models.sh"), "{error}");
}

#[test]
fn the_encoder_matches_candle_transformers_bert() {
	let model = embedder();
	let sentences = ["Short.", "A much longer sentence that forces padding of the first one.", "Zürich ☕ 42"];
	let ours = model.embed(&sentences).unwrap();
	let (weights, config, _) = SentenceEmbedder::load_files(&embedding::models_dir(), &Device::Cpu).unwrap();
	let reference = candle_transformers::models::bert::BertModel::load(weights, &config).unwrap();
	let (ids, type_ids, mask) = model.tokenize(&sentences).unwrap();
	let hidden = reference.forward(&ids, &type_ids, Some(&mask)).unwrap();
	let theirs = minilm::mean_pool_normalized(&hidden, &mask).unwrap().to_vec2::<f32>().unwrap();
	for (a, b) in ours.iter().zip(&theirs) {
		let largest = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
		assert!(largest < 1e-5, "largest difference {largest}");
		assert_eq!(embedding::quantize(a), embedding::quantize(b));
	}
}

#[test]
fn vector_gelu_matches_candles_exact_gelu() {
	let grid: Vec<f32> = (-8_000..=8_000).map(|i| i as f32 / 1_000.0).collect();
	let xs = Tensor::new(grid.as_slice(), &Device::Cpu).unwrap();
	let ours = minilm::gelu(&xs).unwrap().to_vec1::<f32>().unwrap();
	let exact = xs.gelu_erf().unwrap().to_vec1::<f32>().unwrap();
	let largest = ours.iter().zip(&exact).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
	assert!(largest < 2e-6, "largest difference {largest}");
	let other_bits = xs.affine(1.0, 1e-3).unwrap().gelu_erf().unwrap().to_vec1::<f32>().unwrap();
	assert!(ours.iter().zip(&other_bits).any(|(x, y)| (x - y).abs() > 1e-4), "the comparison can fail");
}

/// A document of 40 lines (two batches: 32 and 8) is answered with 40 rows, each within 1 per
/// value of the single-sentence job's output for its line (batching pads to the longest line:
/// only rounding may differ); a document with more lines than the output holds is refused.
#[test]
fn a_document_job_answers_one_row_per_line_as_single_jobs_do() {
	use aichain_compute::blob::{RowOutput, RowOutputShape};
	let model = embedder();
	let sentences: Vec<&str> = include_str!("../benches/sentences.txt").lines().cycle().take(40).collect();
	let document = sentences.join("\n") + "\n";
	let shape = RowOutputShape { row_len: DIMENSIONS as u16, max_len: 7 + 40 * DIMENSIONS as u32 };
	let output = model.embed_document(document.as_bytes(), shape).unwrap();
	let rows = RowOutput::parse(&output).expect("a row output");
	assert_eq!((rows.row_len as usize, rows.row_count()), (DIMENSIONS, 40));
	for (row, sentence) in rows.rows().zip(&sentences) {
		let single = model.infer(sentence.as_bytes()).unwrap();
		let worst = row.iter().zip(&single).map(|(a, b)| (*a as i8 as i32 - *b as i8 as i32).abs()).max();
		assert!(worst <= Some(1), "{sentence:?}: a value differs by {worst:?}");
	}
	let too_long = document + "one line more\n";
	assert!(model.embed_document(too_long.as_bytes(), shape).is_err(), "41 lines, 40 rows");
}
