//! A property test of the consortium's state machine: random sequences of attempts, member
//! updates (masked with the pairs' masks), dropouts, budget changes and closes. After every
//! step it checks:
//!
//! - the pallet's `try_state`;
//! - the owner's funds: free plus held never change (the test market moves no money), and the
//!   held part is the deposit while the consortium exists;
//! - the parameters are the initial ones plus, for every completed round, the sum of the updates
//!   of that round's last attempt's members (the masks cancel exactly);
//! - attempts charged never fall behind rounds completed, every attempt started was charged, and
//!   an attempt starts only if the privacy loss after it is within the budget in force.
//!
//! `PROPTEST_CASES` sets the number of cases (default 256).

use super::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Action {
	Start,
	/// The `n`-th awaited job completes with an update of `update` in every coordinate.
	Complete { n: u8, update: i16 },
	/// The `n`-th awaited job is refunded.
	Refund { n: u8 },
	/// Governance sets a budget of this many attempts.
	Budget { attempts: u8 },
	Close,
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		3 => Just(Action::Start),
		6 => (any::<u8>(), any::<i16>()).prop_map(|(n, update)| Action::Complete { n, update }),
		2 => any::<u8>().prop_map(|n| Action::Refund { n }),
		1 => (1u8..12).prop_map(|attempts| Action::Budget { attempts }),
		1 => Just(Action::Close),
	]
}

/// The jobs of the running attempt still awaited.
fn awaited(id: u32) -> Vec<(u64, u8)> {
	let Some(attempt) = Consortia::<Test>::get(id).and_then(|c| c.attempt) else { return vec![] };
	attempt.jobs.iter().zip(&attempt.outputs).filter(|(_, o)| o.is_none()).map(|(j, _)| *j).collect()
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
		..ProptestConfig::default()
	})]

	#[test]
	fn rounds_sum_exactly_and_every_attempt_is_charged(actions in proptest::collection::vec(action(), 1..60)) {
		new_test_ext().execute_with(|| {
			let total = Balances::balance(&OWNER);
			let id = ready();
			let mut expected = [0i32; PARAMETERS];
			// The updates of the running attempt's members so far.
			let mut pending: Vec<(u8, i32)> = Vec::new();
			let mut closed = false;
			let mut started = 0u32;
			for action in actions {
				let active: Vec<usize> = Consortia::<Test>::get(id)
					.and_then(|c| c.attempt)
					.map(|a| a.jobs.iter().map(|(_, m)| *m as usize).collect())
					.unwrap_or_default();
				match action {
					Action::Start => {
						if PrivateTraining::start_round(origin(OWNER), id, PRICE, 5).is_ok() {
							started += 1;
							pending.clear();
							// Started only within the budget in force.
							let consortium = Consortia::<Test>::get(id).unwrap();
							let budget = consortium.budget.unwrap();
							prop_assert!(NOISE.epsilon_micro(consortium.attempts_spent, DELTA).unwrap() <= budget.epsilon_micro);
						}
					},
					Action::Complete { n, update } => {
						let jobs = awaited(id);
						if !jobs.is_empty() {
							let (job, member) = jobs[n as usize % jobs.len()];
							let update = update as i32;
							complete(job, &masked_output(member as usize, [update; PARAMETERS], &active));
							pending.push((member, update));
							if Consortia::<Test>::get(id).is_some_and(|c| c.attempt.is_none()) {
								let sum: i32 = pending.iter().map(|(_, u)| *u).sum();
								expected = expected.map(|p| p.saturating_add(sum));
								pending.clear();
							}
						}
					},
					Action::Refund { n } => {
						let jobs = awaited(id);
						if !jobs.is_empty() {
							refund(jobs[n as usize % jobs.len()].0);
							pending.clear();
						}
					},
					Action::Budget { attempts } => set_budget(id, NOISE.epsilon_micro(attempts as u32, DELTA).unwrap()),
					Action::Close => {
						if PrivateTraining::close_consortium(origin(OWNER), id).is_ok() {
							closed = true;
						}
					},
				}
				PrivateTraining::do_try_state().expect("invariants hold");
				prop_assert_eq!(Balances::balance(&OWNER) + held(OWNER), total);
				if closed {
					prop_assert_eq!(held(OWNER), 0);
					break;
				}
				let consortium = Consortia::<Test>::get(id).unwrap();
				prop_assert_eq!(held(OWNER), DEPOSIT);
				prop_assert_eq!(consortium.parameters.into_inner(), expected.to_vec());
				prop_assert_eq!(consortium.attempts_spent, started);
				prop_assert!(consortium.attempts_spent >= consortium.rounds_completed);
			}
			Ok(())
		})?;
	}
}
