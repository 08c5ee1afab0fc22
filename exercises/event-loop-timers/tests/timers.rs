//! What "correct" means for the timer event loop. Run with `cargo xtask check event-loop-timers`.
//!
//! Every test runs under a time limit, so a loop that never returns fails instead of hanging,
//! and every failure ends with a hint.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use exercise_event_loop_timers::{EventLoop, TimerId};

const LIMIT: Duration = Duration::from_secs(5);

/// A log the callbacks write to: (label, milliseconds since the start).
type Log = Rc<RefCell<Vec<(&'static str, u128)>>>;

/// Sets a timer that writes `label` and the time it fired into `log`.
fn log_at(el: &mut EventLoop, log: &Log, start: Instant, millis: u64, label: &'static str) {
    let log = Rc::clone(log);
    el.set_timeout(Duration::from_millis(millis), move |_| {
        log.borrow_mut().push((label, start.elapsed().as_millis()));
    });
}

fn labels(log: &Log) -> Vec<&'static str> {
    log.borrow().iter().map(|(label, _)| *label).collect()
}

#[test]
fn timers_fire_in_due_order_not_in_set_order() {
    within(
        "`run` must always take the timer due first: `pending` is sorted by due time, so that \
         is its first entry (`pop_first`).",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            log_at(&mut el, &log, start, 90, "90 ms");
            log_at(&mut el, &log, start, 30, "30 ms");
            log_at(&mut el, &log, start, 60, "60 ms");
            el.run();
            assert_eq!(labels(&log), ["30 ms", "60 ms", "90 ms"]);
        },
    );
}

#[test]
fn timers_due_together_fire_in_the_order_they_were_set() {
    within(
        "two timers set in the same turn with the same delay have the same due time: the \
         registration number, second in the key, must grow with every timer to break the tie \
         (and to keep the first from being overwritten in the map).",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            for label in ["a", "b", "c", "d", "e"] {
                log_at(&mut el, &log, start, 20, label);
            }
            assert_eq!(el.pending(), 5, "five timers set, five pending");
            el.run();
            assert_eq!(labels(&log), ["a", "b", "c", "d", "e"]);
        },
    );
}

#[test]
fn delays_count_from_the_loops_clock() {
    within(
        "`set_timeout` adds the delay to the loop's clock `now`, which moves only when `run` \
         starts a turn, not to `Instant::now()`: timers set in the same turn are timed from the \
         same instant.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            log_at(&mut el, &log, start, 60, "60 ms");
            // Still the same turn (the loop has not run yet), so its clock has not moved: the
            // next timer is due 30 ms after the same instant, before the first one.
            thread::sleep(Duration::from_millis(40));
            log_at(&mut el, &log, start, 30, "30 ms, set 40 ms later");
            el.run();
            assert_eq!(labels(&log), ["30 ms, set 40 ms later", "60 ms"]);
        },
    );
}

#[test]
fn no_timer_fires_early() {
    within(
        "before calling a timer back, sleep until its due time: \
         `due.saturating_duration_since(Instant::now())` is how long is left.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            log_at(&mut el, &log, start, 80, "80 ms");
            log_at(&mut el, &log, start, 40, "40 ms");
            el.run();
            let log = log.borrow();
            assert_eq!(log.len(), 2, "both timers must fire: {log:?}");
            for (label, at) in log.iter() {
                let due: u128 = label.trim_end_matches(" ms").parse().unwrap();
                assert!(at >= &due, "the {label} timer fired after only {at} ms");
            }
        },
    );
}

#[test]
fn the_waits_overlap() {
    within(
        "every delay counts from the loop's clock, so three timers of 200, 150 and 100 ms all \
         fire within about 200 ms: sleep until each one's due time, not for its whole delay.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            log_at(&mut el, &log, start, 200, "200 ms");
            log_at(&mut el, &log, start, 150, "150 ms");
            log_at(&mut el, &log, start, 100, "100 ms");
            el.run();
            let total = start.elapsed();
            assert_eq!(labels(&log), ["100 ms", "150 ms", "200 ms"]);
            assert!(
                total >= Duration::from_millis(200) && total < Duration::from_millis(400),
                "the loop took {total:?}: about the longest delay (200 ms) was expected, far \
                 less than their sum (450 ms)"
            );
        },
    );
}

#[test]
fn callbacks_can_set_more_timers() {
    within(
        "a callback receives the loop: call it as `callback(self)`, after taking it out of \
         `pending`, and before the next turn update `now` so that its delays count from the \
         moment it ran.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            let chain = Rc::clone(&log);
            el.set_timeout(Duration::from_millis(30), move |el| {
                chain
                    .borrow_mut()
                    .push(("first", start.elapsed().as_millis()));
                log_at(el, &chain, start, 30, "second");
                log_at(el, &chain, start, 0, "right after the first");
            });
            log_at(&mut el, &log, start, 300, "independent");
            el.run();
            assert_eq!(
                labels(&log),
                ["first", "right after the first", "second", "independent"]
            );
            let second = log.borrow()[2].1;
            assert!(
                second >= 60,
                "the second timer was set 30 ms after a callback that ran at 30 ms or later, \
                 but it fired at {second} ms"
            );
            assert_eq!(
                el.pending(),
                0,
                "`run` returns only when nothing is pending"
            );
        },
    );
}

#[test]
fn a_cleared_timer_never_fires() {
    within(
        "`TimerId` holds the timer's key in `pending`: clearing it is removing that key, and \
         `remove` tells you whether it was there.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            log_at(&mut el, &log, start, 20, "kept");
            let doomed = Rc::clone(&log);
            let id = el.set_timeout(Duration::from_millis(10), move |_| {
                doomed.borrow_mut().push(("cleared", 0));
            });
            assert!(
                el.clear_timeout(id),
                "the timer was pending: expected `true`"
            );
            assert!(
                !el.clear_timeout(id),
                "the timer was already cleared: expected `false`"
            );
            assert_eq!(el.pending(), 1);
            el.run();
            assert_eq!(labels(&log), ["kept"]);
        },
    );
}

#[test]
fn a_callback_can_cancel_a_pending_timer() {
    within(
        "the callback runs with the loop lent to it: `clear_timeout` inside it must reach the \
         same `pending` map that `run` takes the next timer from.",
        || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            let target: Rc<Cell<Option<TimerId>>> = Rc::default();
            let (canceller, slot) = (Rc::clone(&log), Rc::clone(&target));
            let first = el.set_timeout(Duration::from_millis(20), move |el| {
                let id = slot.get().expect("the slow timer's id");
                let was_pending = el.clear_timeout(id);
                canceller
                    .borrow_mut()
                    .push((if was_pending { "cancelled" } else { "too late" }, 0));
            });
            let slow = Rc::clone(&log);
            target.set(Some(el.set_timeout(
                Duration::from_millis(600),
                move |_| {
                    slow.borrow_mut()
                        .push(("slow", start.elapsed().as_millis()));
                },
            )));
            el.run();
            assert_eq!(labels(&log), ["cancelled"]);
            assert!(
                !el.clear_timeout(first),
                "a timer that has fired is no longer pending: expected `false`"
            );
            // A loop that skipped the cancelled timer but still slept until its due time
            // would take 600 ms; the bound leaves a correct loop plenty of room on a busy machine.
            assert!(
                start.elapsed() < Duration::from_millis(300),
                "with the slow timer cancelled, `run` should return after about 20 ms, \
                 not {:?}",
                start.elapsed()
            );
        },
    );
}

#[test]
fn an_empty_loop_returns_at_once() {
    within(
        "`run` loops while there is a pending timer: with none, it returns immediately.",
        || {
            let start = Instant::now();
            let mut el = EventLoop::new();
            el.run();
            assert!(start.elapsed() < Duration::from_millis(100));
            assert_eq!(el.pending(), 0);
        },
    );
}

/// The processor time this thread has used, from `/proc/thread-self/stat` (Linux).
#[cfg(target_os = "linux")]
fn thread_cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("read /proc");
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    // After the name: state, ppid, ... ; utime and stime (fields 14 and 15) are at 11 and 12,
    // counted in clock ticks (USER_HZ: 100 a second, 10 ms each, on x86 and Arm Linux).
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

#[cfg(target_os = "linux")]
#[test]
fn the_loop_sleeps_instead_of_spinning() {
    within(
        "while the next timer is not due, `std::thread::sleep` until it is: a loop that checks \
         the clock again and again keeps a processor busy doing nothing.",
        || {
            let mut el = EventLoop::new();
            el.set_timeout(Duration::from_millis(500), |_| {});
            let before = thread_cpu_time();
            el.run();
            let used = thread_cpu_time() - before;
            assert!(
                used < Duration::from_millis(150),
                "waiting 500 ms for a timer used {used:?} of processor time"
            );
        },
    );
}

/// Runs `test` on a thread of its own, and fails with `hint` if it panics or has not finished
/// within [`LIMIT`] (a loop that never returns fails instead of hanging the test run).
fn within(hint: &str, test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => {
            panic!("not finished after {LIMIT:?}: does `run` ever return?\nhint: {hint}")
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
