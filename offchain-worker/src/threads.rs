//! candle's thread count, fixed once per process.
//!
//! candle 0.11 asks for its thread count before every matrix product (and a few other
//! operations). Unless `RAYON_NUM_THREADS` is set, the answer is the number of physical cores,
//! which `num_cpus` finds by reading and parsing `/proc/cpuinfo`, every time: about 2 ms of a
//! 14 ms MiniLM embedding of one sentence on a 2-core machine (`perf`: the kernel's
//! `show_cpuinfo`). [`pin_candle_threads`] sets `RAYON_NUM_THREADS` to that same count once, so
//! the question becomes an environment lookup. The count, and so every result, is unchanged;
//! rayon's global pool, which candle's products run on, gets one thread per physical core too.

/// Sets `RAYON_NUM_THREADS` to candle's own default thread count, unless it is already set (an
/// operator's choice wins). Call it first thing in `main`, before any thread starts: changing
/// the environment while another thread reads it (C code included) is undefined on Linux.
pub fn pin_candle_threads() {
	if std::env::var_os("RAYON_NUM_THREADS").is_some() {
		return;
	}
	let threads = candle_core::utils::get_num_threads();
	std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
}
