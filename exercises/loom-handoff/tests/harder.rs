//! The optional harder step: `take_timeout`, a `take` that gives up after a time limit. Run with
//! `cargo xtask check loom-handoff`, like the other tests. (Loom has no clock, so these run on
//! real threads only.) Like the tests of `tests/handoff.rs`, each runs under a time limit, so a
//! `take_timeout` that waits for ever, or for the whole of an hour's limit when an item came,
//! fails instead of hanging.
#![cfg(not(loom))]

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use exercise_loom_handoff::Handoff;

const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn harder_an_empty_slot_times_out_after_the_limit() {
    within(|| {
        let handoff = Handoff::<u32>::new();
        let limit = Duration::from_millis(100);
        let start = Instant::now();
        let got = handoff.take_timeout(limit);
        let waited = start.elapsed();
        assert_eq!(got, None, "nobody put anything: there is nothing to take");
        assert!(
            waited >= limit,
            "take_timeout must wait for the whole limit before it gives up: it returned after \
             {waited:?} of {limit:?}"
        );
    });
}

#[test]
fn harder_an_item_already_there_is_taken_even_with_no_time() {
    within(|| {
        let handoff = Handoff::new();
        assert_eq!(
            handoff.try_put(3),
            Ok(()),
            "a put into an empty slot succeeds"
        );
        assert_eq!(
            handoff.take_timeout(Duration::ZERO),
            Some(3),
            "an item already in the slot must be taken, even with a limit of zero"
        );
    });
}

#[test]
fn harder_an_item_that_comes_in_time_is_taken() {
    // The item must come while the taker waits, after its first try. Nothing outside the
    // handoff can see that first try, so each round waits a while before it puts, and the
    // waits grow: on a busy machine the taker may not even have started in the first round,
    // but it has in the later ones. A `take_timeout` that sleeps its whole limit (an hour)
    // instead of trying again is caught by any round where the put came after its first try.
    within(|| {
        for (round, delay_ms) in [20, 200, 800].into_iter().enumerate() {
            let handoff = Handoff::new();
            let (waiting, started) = mpsc::channel();
            let got = thread::scope(|s| {
                let taker = s.spawn(|| {
                    waiting.send(()).unwrap();
                    handoff.take_timeout(Duration::from_secs(3600))
                });
                started.recv().unwrap();
                thread::sleep(Duration::from_millis(delay_ms));
                handoff.put(round);
                taker.join().unwrap()
            });
            assert_eq!(
                got,
                Some(round),
                "an item put {delay_ms} ms after take_timeout began to wait (with a limit of an \
                 hour) must be taken"
            );
        }
    });
}

/// Runs `test` on a thread of its own, and fails if it has not ended within [`LIMIT`]. Its
/// panic, if it panics, is passed on with its message.
fn within(test: impl FnOnce() + Send + 'static) {
    let (done, ended) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match ended.recv_timeout(LIMIT) {
        Ok(()) => runner.join().unwrap(),
        Err(RecvTimeoutError::Disconnected) => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(RecvTimeoutError::Timeout) => panic!(
            "the test did not end within {LIMIT:?}: take_timeout waits for ever, or for its \
             whole limit although an item came"
        ),
    }
}
