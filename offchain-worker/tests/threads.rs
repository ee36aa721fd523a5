//! `pin_candle_threads` fixes candle's product thread count to the count candle would find
//! itself and its element-wise pool to one thread, and leaves an operator's settings alone. One
//! test: the environment is process-wide.

use aichain_offchain_worker::threads::pin_candle_threads;
use candle_core::utils::get_num_threads;

#[test]
fn the_thread_counts_are_pinned_and_an_operators_choice_wins() {
	std::env::remove_var("RAYON_NUM_THREADS");
	std::env::remove_var("CANDLE_NUM_THREADS");
	let found = get_num_threads();
	pin_candle_threads();
	assert_eq!(std::env::var("RAYON_NUM_THREADS").as_deref(), Ok(found.to_string().as_str()));
	assert_eq!(std::env::var("CANDLE_NUM_THREADS").as_deref(), Ok("1"));
	assert_eq!(get_num_threads(), found, "the product count is unchanged");

	std::env::set_var("RAYON_NUM_THREADS", "1");
	std::env::set_var("CANDLE_NUM_THREADS", "2");
	pin_candle_threads();
	assert_eq!(std::env::var("RAYON_NUM_THREADS").as_deref(), Ok("1"));
	assert_eq!(std::env::var("CANDLE_NUM_THREADS").as_deref(), Ok("2"));
	assert_eq!(get_num_threads(), 1);
}
