//! What "correct" means for the pipeline. Run with `cargo xtask check threads-pipeline`.
//!
//! Every test runs under a time limit, so a deadlocked pipeline fails instead of hanging, and
//! every failure ends with a hint.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use exercise_threads_pipeline::pipeline;

const LIMIT: Duration = Duration::from_secs(5);

/// `producers` ranges of `per_producer` distinct numbers each: 0..n, n..2n, ...
fn ranges(producers: u64, per_producer: u64) -> Vec<std::ops::Range<u64>> {
    (0..producers)
        .map(|p| p * per_producer..(p + 1) * per_producer)
        .collect()
}

fn sorted(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

#[test]
fn every_item_is_handled_exactly_once() {
    within(
        "each producer sends every item of its iterator; each consumer receives until `recv` \
         fails (the channel is closed and empty), and keeps every `work(item)`; `pipeline` \
         returns all the consumers' results together.",
        || {
            let results = pipeline(ranges(4, 1_000), 8, 3, |x| 2 * x + 1);
            let expected: Vec<u64> = (0..4_000).map(|x| 2 * x + 1).collect();
            let got = sorted(results);
            let (missing, extra) = differences(&expected, &got);
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{} results instead of 4000; missing: {:?}; duplicated or unexpected: {:?}",
                got.len(),
                &missing[..missing.len().min(10)],
                &extra[..extra.len().min(10)],
            );
        },
    );
}

#[test]
fn any_shape_of_pipeline_works() {
    within(
        "nothing may depend on how many producers or consumers there are, or on the capacity: \
         `sync_channel(0)` is a rendezvous, each `send` waits for a `recv`.",
        || {
            for (producers, consumers, capacity) in [(1, 1, 0), (8, 1, 1), (1, 8, 0), (8, 8, 2)] {
                let results = pipeline(ranges(producers, 50), capacity, consumers, |x| x * x);
                let expected: Vec<u64> = (0..producers * 50).map(|x| x * x).collect();
                assert_eq!(
                    sorted(results),
                    expected,
                    "with {producers} producers, {consumers} consumers, capacity {capacity}"
                );
            }
        },
    );
}

#[test]
fn it_ends_when_the_producers_finish() {
    within(
        "the consumers' `recv` fails only when every `Sender` is gone: give each producer a \
         clone, and drop the original (`drop(sender)`) before waiting for the consumers.",
        || {
            let results = pipeline(ranges(2, 3), 4, 2, |x| x);
            assert_eq!(sorted(results), [0, 1, 2, 3, 4, 5]);
            let none: Vec<std::ops::Range<u64>> = Vec::new();
            assert_eq!(pipeline(none, 4, 2, |x| x), [], "no producers, no results");
        },
    );
}

#[test]
fn the_channel_is_bounded() {
    within(
        "use `mpsc::sync_channel(capacity)`: its `send` blocks while the channel is full, so \
         producers cannot run ahead of the consumers. (`mpsc::channel()` has no bound.)",
        || {
            let (capacity, producers, consumers) = (4, 2, 2);
            let produced = Arc::new(AtomicUsize::new(0));
            let consumed = Arc::new(AtomicUsize::new(0));
            let most_in_flight = Arc::new(AtomicUsize::new(0));
            let sources: Vec<_> = ranges(producers as u64, 100)
                .into_iter()
                .map(|range| {
                    let (produced, consumed) = (Arc::clone(&produced), Arc::clone(&consumed));
                    let most = Arc::clone(&most_in_flight);
                    range.inspect(move |_| {
                        let made = produced.fetch_add(1, Ordering::SeqCst) + 1;
                        let taken = consumed.load(Ordering::SeqCst);
                        most.fetch_max(made.saturating_sub(taken), Ordering::SeqCst);
                    })
                })
                .collect();
            let taken = Arc::clone(&consumed);
            let results = pipeline(sources, capacity, consumers, move |x| {
                taken.fetch_add(1, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(1)); // slow consumers
                x
            });
            assert_eq!(results.len(), 200, "every item must be handled");
            // In flight: one item in each producer's hand, `capacity` in the channel, one in
            // each consumer's hand (received, not yet counted).
            let bound = capacity + producers + consumers;
            let most = most_in_flight.load(Ordering::SeqCst);
            assert!(
                most <= bound,
                "up to {most} items were produced but not yet taken by a consumer; with a \
                 capacity of {capacity}, there can be at most {bound}"
            );
        },
    );
}

#[test]
fn the_consumers_work_at_the_same_time() {
    within(
        "hold the lock on the shared `Receiver` only to receive, never while calling `work`: \
         `let next = receiver.lock().unwrap().recv();` drops the guard at the `;` \
         (in `while let Ok(item) = receiver.lock().unwrap().recv() { ... }`, the guard lives \
         until the end of the loop body).",
        || {
            // Each call of `work` waits there until four calls have been inside at once (or a
            // moment has passed): with four items and four consumers, that happens only if the
            // consumers call `work` at the same time.
            let meeting = Meeting::new(4);
            let inside = Arc::clone(&meeting);
            let results = pipeline(ranges(1, 4), 4, 4, move |x| {
                inside.meet();
                x
            });
            assert_eq!(sorted(results), [0, 1, 2, 3]);
            let most = meeting.most();
            assert_eq!(
                most, 4,
                "at most {most} of the 4 consumers were inside `work` at the same time"
            );
        },
    );
}

#[test]
fn the_producers_work_at_the_same_time() {
    within(
        "give each producer a thread of its own (`scope.spawn` inside `thread::scope`), and \
         start the consumers without waiting for the producers to finish.",
        || {
            // Making its first item, each producer waits until all four are making theirs (or
            // a moment has passed): that happens only if the producers run at the same time.
            let meeting = Meeting::new(4);
            let sources: Vec<_> = ranges(4, 4)
                .into_iter()
                .map(|range| {
                    let first = range.start;
                    let inside = Arc::clone(&meeting);
                    range.inspect(move |&x| {
                        if x == first {
                            inside.meet();
                        }
                    })
                })
                .collect();
            let results = pipeline(sources, 1, 2, |x| x);
            assert_eq!(sorted(results), (0..16).collect::<Vec<_>>());
            let most = meeting.most();
            assert_eq!(
                most, 4,
                "at most {most} of the 4 producers were making an item at the same time"
            );
        },
    );
}

#[test]
fn a_panic_in_work_ends_the_pipeline() {
    within(
        "if every consumer panics, nobody is left to empty the channel, and a producer blocked in \
         `send` waits for ever unless the `Receiver` goes away with the last consumer: share it \
         as an `Arc<Mutex<Receiver>>`, one clone per consumer (no other), so that `send` fails \
         once they are all gone; stop the producer then, and pass the consumers' panic on \
         (`std::panic::resume_unwind`).",
        || {
            let calls = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&calls);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                // More items than the channel and the threads' hands can hold: the producers
                // are still sending when the consumers have all panicked.
                pipeline(ranges(2, 100), 1, 2, move |x| {
                    counted.fetch_add(1, Ordering::SeqCst);
                    panic!("work failed on item {x}")
                })
            }));
            assert!(calls.load(Ordering::SeqCst) > 0, "`work` was never called");
            assert!(
                outcome.is_err(),
                "every call of `work` panicked, yet `pipeline` returned normally"
            );
        },
    );
}

/// A place where threads wait for each other: [`Meeting::meet`] waits until `want` threads
/// have been inside it at once, or [`PATIENCE`] has passed, and [`Meeting::most`] tells how many
/// were ever inside together. Threads that run one after the other never meet.
struct Meeting {
    /// How many are inside now, and the most there ever were.
    count: Mutex<(usize, usize)>,
    changed: Condvar,
    want: usize,
}

/// How long a thread waits in a [`Meeting`] for the others: ample for threads that do run at
/// the same time, short enough that four of them one after the other stay within [`LIMIT`].
const PATIENCE: Duration = Duration::from_millis(500);

impl Meeting {
    fn new(want: usize) -> Arc<Meeting> {
        Arc::new(Meeting {
            count: Mutex::new((0, 0)),
            changed: Condvar::new(),
            want,
        })
    }

    fn meet(&self) {
        let mut count = self.count.lock().unwrap();
        count.0 += 1;
        count.1 = count.1.max(count.0);
        self.changed.notify_all();
        let (mut count, _) = self
            .changed
            .wait_timeout_while(count, PATIENCE, |count| count.1 < self.want)
            .unwrap();
        count.0 -= 1;
    }

    fn most(&self) -> usize {
        self.count.lock().unwrap().1
    }
}

/// What `expected` has that `got` lacks, and what `got` has beyond `expected` (both sorted).
fn differences(expected: &[u64], got: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let (mut missing, mut extra) = (Vec::new(), Vec::new());
    let (mut e, mut g) = (expected.iter().peekable(), got.iter().peekable());
    loop {
        match (e.peek(), g.peek()) {
            (Some(a), Some(b)) if a == b => {
                e.next();
                g.next();
            }
            (Some(a), Some(b)) if a < b => missing.push(*e.next().unwrap()),
            (Some(_), Some(_)) | (None, Some(_)) => extra.push(*g.next().unwrap()),
            (Some(_), None) => missing.push(*e.next().unwrap()),
            (None, None) => return (missing, extra),
        }
    }
}

/// Runs `test` on a thread of its own, and fails with `hint` if it panics or has not finished
/// within [`LIMIT`] (a deadlocked pipeline fails instead of hanging the test run).
fn within(hint: &str, test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => {
            panic!(
                "not finished after {LIMIT:?}: a deadlock? (The consumers stop only once every \
                 `Sender` has been dropped.)\nhint: {hint}"
            )
        }
        Err(RecvTimeoutError::Disconnected) => {
            let payload = runner.join().expect_err("the test thread panicked");
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{message}\nhint: {hint}");
        }
    }
}
