//! candle's thread counts, fixed once per process.
//!
//! candle 0.11 runs work on two pools:
//! - **matrix products** on rayon's pool, asking for its thread count before every product.
//!   Unless `RAYON_NUM_THREADS` is set, the answer is the number of physical cores, which
//!   `num_cpus` finds by reading and parsing `/proc/cpuinfo`, every time: about 2 ms of a 14 ms
//!   MiniLM embedding of one sentence on a 2-core machine (`perf`: the kernel's `show_cpuinfo`).
//!   [`pin_candle_threads`] sets `RAYON_NUM_THREADS` to that same count once, so the question
//!   becomes an environment lookup; the count is unchanged.
//! - **element-wise operations and reductions** on its own barrier pool (`CANDLE_NUM_THREADS`
//!   threads), whose caller *spins* until every worker has finished its part. A provider runs
//!   several jobs at once (one per core), so those workers compete with other jobs for the
//!   cores: four character-model trainings at once on 2 cores took **3.2×** as long as with
//!   one element-wise thread each (13.5 s against 4.2 s per 10 steps, `benches/char_lm.rs`
//!   run four times at once), while a training alone loses 4 % and MiniLM embeddings nothing
//!   measurable (`benches/embedding.rs`). [`pin_candle_threads`] sets `CANDLE_NUM_THREADS=1`.
//!
//! Neither changes a result: products split rows among threads, not sums, and element-wise
//! operations are the same on any thread. An operator's own settings win.

/// Sets `RAYON_NUM_THREADS` to candle's own default thread count and `CANDLE_NUM_THREADS` to 1,
/// each unless already set (an operator's choice wins). Call it first thing in `main`, before
/// any thread starts: changing the environment while another thread reads it (C code included)
/// is undefined on Linux.
pub fn pin_candle_threads() {
	if std::env::var_os("RAYON_NUM_THREADS").is_none() {
		let threads = candle_core::utils::get_num_threads();
		std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
	}
	if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
		std::env::set_var("CANDLE_NUM_THREADS", "1");
	}
}
