//! What "correct" means for the pipeline. Run with `cargo xtask check threads-pipeline`.
//!
//! Every test runs under a time limit, so a deadlocked pipeline fails instead of hanging. No
//! test depends on how fast a thread runs: where one must wait for another, it waits for what
//! the pipeline guarantees (a thread asleep in `send`, a number of calls of `work` under way at
//! once), not for a moment to pass.

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
    within(|| {
        let results = pipeline(ranges(4, 1_000), 8, 3, |x| 2 * x + 1);
        let expected: Vec<u64> = (0..4_000).map(|x| 2 * x + 1).collect();
        let got = sorted(results);
        let (missing, extra) = differences(&expected, &got);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "4 producers made 4000 distinct items, and {} results came back; missing: {:?}; \
             duplicated or unexpected: {:?}",
            got.len(),
            &missing[..missing.len().min(10)],
            &extra[..extra.len().min(10)],
        );
    });
}

#[test]
fn any_shape_of_pipeline_works() {
    within(|| {
        for (producers, consumers, capacity) in [(1, 1, 0), (8, 1, 1), (1, 8, 0), (8, 8, 2)] {
            let results = pipeline(ranges(producers, 50), capacity, consumers, |x| x * x);
            let expected: Vec<u64> = (0..producers * 50).map(|x| x * x).collect();
            assert_eq!(
                sorted(results),
                expected,
                "with {producers} producers, {consumers} consumers and a capacity of {capacity}"
            );
        }
    });
}

#[test]
fn it_ends_when_the_producers_finish() {
    within(|| {
        let results = pipeline(ranges(2, 3), 4, 2, |x| x);
        assert_eq!(
            sorted(results),
            [0, 1, 2, 3, 4, 5],
            "2 producers of 3 items each"
        );
        let none: Vec<std::ops::Range<u64>> = Vec::new();
        assert_eq!(
            pipeline(none, 4, 2, |x| x),
            [],
            "with no producers there are no results"
        );
    });
}

// Linux only: it sees that a producer is asleep in `send` by reading the thread's state in
// /proc; std has no portable way to see that a thread is blocked (macOS and Windows skip it).
#[cfg(target_os = "linux")]
#[test]
fn a_capacity_of_0_is_a_rendezvous() {
    let seen = Arc::new(Seen::default());
    let report = Arc::clone(&seen);
    within_or(
        move || {
            let made = made_when_full(1, 0, 1, &seen);
            assert_eq!(
                made, 2,
                "with a capacity of 0, one producer and one consumer: while the consumer worked \
                 on an item, the producer made {made} items before it had to wait in `send`, \
                 where a rendezvous lets it make 2 (the one being worked on, and the one it \
                 waits to hand over)"
            );
        },
        move || report.describe(1, 1),
    );
}

// Linux only: it sees that a producer is asleep in `send` by reading the thread's state in
// /proc; std has no portable way to see that a thread is blocked (macOS and Windows skip it).
#[cfg(target_os = "linux")]
#[test]
fn the_channel_is_bounded() {
    let seen = Arc::new(Seen::default());
    let report = Arc::clone(&seen);
    within_or(
        move || {
            let made = made_when_full(2, 3, 2, &seen);
            assert_eq!(
                made, 7,
                "with a capacity of 3, 2 producers and 2 consumers: while both consumers worked \
                 on an item, the producers made {made} items before they both had to wait in \
                 `send`, where the bound lets them make 7 (2 being worked on, 3 in the channel, \
                 and 2 waiting to be sent)"
            );
        },
        move || report.describe(2, 2),
    );
}

// Linux only: it sees that a producer is asleep in `send` by reading the thread's state in
// /proc; std has no portable way to see that a thread is blocked (macOS and Windows skip it).
#[cfg(target_os = "linux")]
#[test]
fn the_consumers_wait_for_a_slow_producer() {
    let handled = Arc::new(AtomicUsize::new(0));
    let consumer: Arc<Mutex<Option<u32>>> = Arc::default();
    let (reported, watched) = (Arc::clone(&handled), Arc::clone(&consumer));
    within_or(
        move || {
            // The producer makes each item after the first only once the consumer has handled
            // the one before and is asleep, waiting for the next: a slow producer.
            let (done, idle) = (Arc::clone(&handled), Arc::clone(&consumer));
            let slow = (0..4).inspect(move |&x| {
                if x > 0 {
                    while done.load(Ordering::SeqCst) < x as usize
                        || !idle.lock().unwrap().is_some_and(asleep_or_gone)
                    {
                        thread::sleep(Duration::from_millis(1));
                    }
                }
            });
            let results = pipeline(vec![slow], 1, 1, move |x| {
                consumer.lock().unwrap().get_or_insert_with(this_thread);
                handled.fetch_add(1, Ordering::SeqCst);
                x
            });
            assert_eq!(
                sorted(results),
                [0, 1, 2, 3],
                "a slow producer made 4 items, each only once the consumer had handled the one \
                 before and had nothing to do"
            );
        },
        move || {
            let handled = reported.load(Ordering::SeqCst);
            let state = watched.lock().unwrap().map(thread_state);
            let what = match state {
                None => "had not started",
                Some(None) => "had ended",
                Some(Some('S')) => "was asleep",
                Some(Some(_)) => "was awake, though no item was waiting for it",
            };
            format!(
                "after {LIMIT:?}, the consumer had handled {handled} items of a slow producer, and {what}"
            )
        },
    );
}

#[test]
fn the_consumers_work_at_the_same_time() {
    let meeting = Meeting::new(4);
    let report = Arc::clone(&meeting);
    within_or(
        move || {
            // Each call of `work` waits there until four calls are inside at once: with four
            // items and four consumers, that happens only if the consumers call `work` at the
            // same time.
            let results = pipeline(ranges(1, 4), 4, 4, move |x| {
                meeting.meet();
                x
            });
            assert_eq!(sorted(results), [0, 1, 2, 3], "1 producer of 4 items");
        },
        move || {
            format!(
                "after {LIMIT:?}, at most {} of the 4 consumers had been inside `work` at the same \
                 time (each call of `work` waits until all four are inside)",
                report.most()
            )
        },
    );
}

#[test]
fn the_producers_work_at_the_same_time() {
    let meeting = Meeting::new(4);
    let report = Arc::clone(&meeting);
    within_or(
        move || {
            // Making its first item, each producer waits until all four are making theirs:
            // that happens only if the producers run at the same time.
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
            assert_eq!(
                sorted(results),
                (0..16).collect::<Vec<_>>(),
                "4 producers of 4 items each"
            );
        },
        move || {
            format!(
                "after {LIMIT:?}, at most {} of the 4 producers had been making an item at the \
                 same time (each waits, making its first, until all four are)",
                report.most()
            )
        },
    );
}

#[test]
fn a_panic_in_work_ends_the_pipeline() {
    within(|| {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            // More items than the channel and the threads' hands can hold: the producers are
            // still sending when the consumers have all panicked.
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
    });
}

#[test]
fn a_panic_in_work_reaches_the_caller_unchanged() {
    within(|| {
        let outcome = std::panic::catch_unwind(|| {
            pipeline(ranges(1, 20), 2, 3, |x| {
                if x == 7 {
                    panic!("work failed on item {x}")
                }
                x
            })
        });
        let payload = match outcome {
            Ok(results) => panic!(
                "`work` panicked on item 7, yet `pipeline` returned {} results",
                results.len()
            ),
            Err(payload) => payload,
        };
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        assert_eq!(
            message,
            Some("work failed on item 7"),
            "`work` panicked with the message \"work failed on item 7\", and `pipeline` must \
             panic with that same message"
        );
    });
}

/// A place where threads wait for each other: [`Meeting::meet`] waits until `want` threads
/// have been inside it at once, and [`Meeting::most`] tells how many were ever inside together.
/// Threads that run one after the other never meet: they wait there until the time limit.
struct Meeting {
    /// How many are inside now, and the most there ever were.
    count: Mutex<(usize, usize)>,
    changed: Condvar,
    want: usize,
}

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
        let mut count = self
            .changed
            .wait_while(count, |count| count.1 < self.want)
            .unwrap();
        count.0 -= 1;
    }

    fn most(&self) -> usize {
        self.count.lock().unwrap().1
    }
}

/// What [`made_when_full`] has seen so far, for the report when the time is up.
#[cfg(target_os = "linux")]
#[derive(Default)]
struct Seen {
    /// Calls of `work` started.
    entered: AtomicUsize,
    /// Items made by the producers.
    made: AtomicUsize,
}

#[cfg(target_os = "linux")]
impl Seen {
    fn describe(&self, producers: usize, consumers: usize) -> String {
        let entered = self.entered.load(Ordering::SeqCst);
        if entered < consumers {
            format!(
                "after {LIMIT:?}, only {entered} of the {consumers} consumers had started on an \
                 item (each keeps its first item until all have one)"
            )
        } else {
            format!(
                "after {LIMIT:?}, with every consumer busy, the {producers} producers had made \
                 {} items, and were not all asleep in `send`",
                self.made.load(Ordering::SeqCst)
            )
        }
    }
}

/// Runs a pipeline of `producers` producers (100 items each), `consumers` consumers and the
/// given capacity, in which each consumer keeps its first item until two things hold: every
/// consumer has one, and every producer is asleep (waiting in `send`, since the channel is
/// full). It returns how many items the producers had made then: a bounded channel stops them
/// at exactly `consumers + capacity + producers` (one in each consumer's hand, `capacity` in the
/// channel, one in each producer's hand). If they make more, it returns as soon as they have.
#[cfg(target_os = "linux")]
fn made_when_full(producers: usize, capacity: usize, consumers: usize, seen: &Arc<Seen>) -> usize {
    let bound = consumers + capacity + producers;
    let producer_threads = Arc::new(Mutex::new(Vec::new()));
    let released = Arc::new((Mutex::new(false), Condvar::new()));
    let sources: Vec<_> = ranges(producers as u64, 100)
        .into_iter()
        .map(|range| {
            let (seen, threads) = (Arc::clone(seen), Arc::clone(&producer_threads));
            let mut first = true;
            range.inspect(move |_| {
                if first {
                    threads.lock().unwrap().push(this_thread());
                    first = false;
                }
                seen.made.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();

    let watcher = {
        let (seen, threads, released) = (
            Arc::clone(seen),
            Arc::clone(&producer_threads),
            Arc::clone(&released),
        );
        thread::spawn(move || {
            let made = loop {
                let made = seen.made.load(Ordering::SeqCst);
                if made > bound {
                    break made;
                }
                if seen.entered.load(Ordering::SeqCst) >= consumers {
                    let threads = threads.lock().unwrap().clone();
                    if threads.len() == producers && threads.iter().all(|&t| asleep(t)) {
                        break seen.made.load(Ordering::SeqCst);
                    }
                }
                thread::sleep(Duration::from_millis(1));
            };
            *released.0.lock().unwrap() = true;
            released.1.notify_all();
            made
        })
    };

    let counter = Arc::clone(seen);
    let results = pipeline(sources, capacity, consumers, move |x| {
        if counter.entered.fetch_add(1, Ordering::SeqCst) < consumers {
            let (lock, condvar) = &*released;
            let _released = condvar
                .wait_while(lock.lock().unwrap(), |released| !*released)
                .unwrap();
        }
        x
    });
    assert_eq!(
        results.len(),
        100 * producers,
        "{producers} producers made 100 items each"
    );
    watcher.join().expect("the watcher thread")
}

/// This thread's id, as the kernel knows it (Linux).
#[cfg(target_os = "linux")]
fn this_thread() -> u32 {
    // `/proc/thread-self` is a link to `/proc/PID/task/TID`.
    let link = std::fs::read_link("/proc/thread-self").expect("read /proc/thread-self");
    let tid = link.file_name().expect("a thread id").to_string_lossy();
    tid.parse().expect("a thread id")
}

/// The state of thread `tid` of this process (Linux): `Some('S')` when it sleeps (blocked, in
/// `send` or `recv` for instance), `Some('R')` when it runs or is ready to; `None` once it has
/// ended.
#[cfg(target_os = "linux")]
fn thread_state(tid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // `TID (NAME) STATE ...`: the name may hold spaces and parentheses, so split after the last `)`.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.trim_start().chars().next()
}

#[cfg(target_os = "linux")]
fn asleep(tid: u32) -> bool {
    thread_state(tid) == Some('S')
}

#[cfg(target_os = "linux")]
fn asleep_or_gone(tid: u32) -> bool {
    matches!(thread_state(tid), None | Some('S' | 'Z' | 'X'))
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

/// Runs `test` on a thread of its own; fails if it panics, or has not finished within
/// [`LIMIT`] (a deadlocked pipeline fails instead of hanging the test run).
fn within(test: impl FnOnce() + Send + 'static) {
    within_or(test, || {
        format!("after {LIMIT:?}, `pipeline` had not returned")
    });
}

/// [`within`], with `on_timeout` to say what was seen when the time was up.
fn within_or(test: impl FnOnce() + Send + 'static, on_timeout: impl FnOnce() -> String) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("{}", on_timeout()),
        Err(RecvTimeoutError::Disconnected) => {
            // The test's own panic message has already been printed; pass its payload on.
            std::panic::resume_unwind(runner.join().expect_err("the test thread panicked"))
        }
    }
}
