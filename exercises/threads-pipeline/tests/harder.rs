//! The optional harder step: `try_pipeline`, a pipeline whose `work` can fail, and which stops
//! at the first failure. Run with `cargo xtask check threads-pipeline`, like the other tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use exercise_threads_pipeline::try_pipeline;

const LIMIT: Duration = Duration::from_secs(5);

#[test]
fn harder_without_a_failure_every_result_comes_back() {
    within(|| {
        let sources = vec![0..500, 500..1_000, 1_000..1_500];
        let results = try_pipeline(sources, 4, 3, |x| Ok::<_, String>(x + 1));
        let mut results = results.expect("no call of `work` failed");
        results.sort_unstable();
        assert!(
            results.iter().copied().eq(1..1_501),
            "3 producers made 1500 distinct items, and {} results came back, not each once",
            results.len()
        );
    });
}

#[test]
fn harder_a_failure_stops_endless_producers() {
    within(|| {
        // Two producers that never run out of items: only the failure can end the pipeline.
        let sources = vec![0.., 1_000_000..];
        let outcome = try_pipeline(sources, 4, 3, |x| {
            if x == 10 {
                Err(format!("no luck with item {x}"))
            } else {
                Ok(x)
            }
        });
        assert_eq!(
            outcome.err().as_deref(),
            Some("no luck with item 10"),
            "`work` failed on item 10 and on no other: `try_pipeline` must return that error"
        );
    });
}

#[test]
fn harder_a_failure_stops_a_rendezvous() {
    within(|| {
        let outcome = try_pipeline(vec![0..], 0, 1, |x| {
            if x == 0 {
                Err("the first item failed")
            } else {
                Ok(x)
            }
        });
        assert_eq!(
            outcome,
            Err("the first item failed"),
            "with a capacity of 0, `work` failed on the first item of an endless producer"
        );
    });
}

#[test]
fn harder_a_consumer_stops_at_its_failure() {
    within(|| {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let outcome = try_pipeline(vec![0..], 4, 1, move |x| {
            counted.fetch_add(1, Ordering::SeqCst);
            if x == 5 { Err(x) } else { Ok(x) }
        });
        assert_eq!(outcome, Err(5), "`work` failed on item 5");
        let calls = calls.load(Ordering::SeqCst);
        assert_eq!(
            calls, 6,
            "the only consumer failed on item 5, its sixth: it must not call `work` again, \
             but it was called {calls} times"
        );
    });
}

/// Runs `test` on a thread of its own; fails if it panics, or has not finished within
/// [`LIMIT`] (a pipeline that does not stop fails instead of hanging the test run).
fn within(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => {
            panic!("after {LIMIT:?}, `try_pipeline` had not returned")
        }
        Err(RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(runner.join().expect_err("the test thread panicked"))
        }
    }
}
