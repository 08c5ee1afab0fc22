//! What "correct" means for the timer event loop. Run with `cargo xtask check event-loop-timers`.
//!
//! Every test runs under a time limit, so a loop that never returns fails instead of hanging.
//! No test measures how *late* a timer fires (a busy machine may always make it late); they
//! check what the loop guarantees: the order of the callbacks, and that none runs early.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        log_at(&mut el, &log, start, 90, "90 ms");
        log_at(&mut el, &log, start, 30, "30 ms");
        log_at(&mut el, &log, start, 60, "60 ms");
        el.run();
        assert_eq!(
            labels(&log),
            ["30 ms", "60 ms", "90 ms"],
            "timers set with delays of 90, 30 and 60 ms must fire in the order of their delays"
        );
    });
}

#[test]
fn timers_due_together_fire_in_the_order_they_were_set() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        for label in ["a", "b", "c", "d", "e"] {
            log_at(&mut el, &log, start, 20, label);
        }
        assert_eq!(
            el.pending(),
            5,
            "five timers were set with the same delay in the same turn, so five are pending"
        );
        el.run();
        assert_eq!(
            labels(&log),
            ["a", "b", "c", "d", "e"],
            "five timers due at the same instant must fire in the order they were set"
        );
    });
}

#[test]
fn a_timer_set_after_a_clear_replaces_no_other() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        let a = el.set_timeout(Duration::from_millis(20), |_| {});
        log_at(&mut el, &log, start, 20, "B");
        assert!(
            el.clear_timeout(a),
            "timer A was pending: clearing it returns `true`"
        );
        log_at(&mut el, &log, start, 20, "C");
        assert_eq!(
            el.pending(),
            2,
            "set A, set B, clear A, set C (all with a 20 ms delay): B and C are pending"
        );
        el.run();
        assert_eq!(
            labels(&log),
            ["B", "C"],
            "set A, set B, clear A, set C (all with a 20 ms delay): B and C must both fire"
        );
    });
}

#[test]
fn delays_count_from_the_loops_clock() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        log_at(&mut el, &log, start, 60, "the 60 ms timer");
        // Still the same turn (the loop has not run yet), so its clock has not moved: the
        // next timer is due 30 ms after the same instant, before the first one.
        thread::sleep(Duration::from_millis(40));
        log_at(&mut el, &log, start, 30, "the 30 ms timer");
        el.run();
        assert_eq!(
            labels(&log),
            ["the 30 ms timer", "the 60 ms timer"],
            "a timer with a 60 ms delay, then 40 ms later (in the same turn: `run` was not \
             called in between) a timer with a 30 ms delay: the 30 ms timer must fire first"
        );
    });
}

#[test]
fn no_timer_fires_early() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        log_at(&mut el, &log, start, 80, "80 ms");
        log_at(&mut el, &log, start, 40, "40 ms");
        el.run();
        let log = log.borrow();
        assert_eq!(log.len(), 2, "both timers must fire, but {} did", log.len());
        for (label, at) in log.iter() {
            let due: u128 = label.trim_end_matches(" ms").parse().unwrap();
            assert!(
                at >= &due,
                "the timer set with a {label} delay fired after only {at} ms"
            );
        }
    });
}

#[test]
fn the_waits_overlap() {
    let fired = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&fired);
    within_or(
        move || {
            let order = Rc::new(RefCell::new(Vec::new()));
            let mut el = EventLoop::new();
            // 50 timers, due between 100 and 149 ms: together they need about 150 ms, while
            // one after the other (each waited for from the end of the one before) they would
            // take more than 6 s, longer than the time limit.
            for delay in (100..150).rev() {
                let (order, fired) = (Rc::clone(&order), Arc::clone(&fired));
                el.set_timeout(Duration::from_millis(delay), move |_| {
                    order.borrow_mut().push(delay);
                    fired.fetch_add(1, Ordering::SeqCst);
                });
            }
            el.run();
            assert!(
                order.borrow().iter().copied().eq(100..150),
                "50 timers set with delays of 149 down to 100 ms must fire from 100 up to \
                 149 ms"
            );
        },
        move || {
            format!(
                "after {LIMIT:?}, only {} of the 50 timers (all due between 100 and 149 ms) \
                 had fired",
                seen.load(Ordering::SeqCst)
            )
        },
    );
}

#[test]
fn callbacks_can_set_more_timers() {
    // A loop whose clock lags behind the turn (not moved, or read before the sleep) makes the
    // callback's timers due too early. A marker timer shows it, whatever the machine's speed:
    // due 1 ms before the earliest instant the callback's timer can be due, it must fire first.
    // A clock read before the sleep lags only if the loop was not held up, before its first
    // turn, for as long as the delay: the rounds make the delays longer, so such a clock
    // passes only if the loop was held up that long in every round.
    within_for(Duration::from_secs(15), || {
        for delay in [30, 200, 800] {
            // The 1000 ms timer of the first round: later rounds leave it out, to stay short.
            chain_of_timers(delay, (delay == 30).then_some(1_000));
        }
    });
}

/// A timer due after `delay` ms whose callback sets one with a `delay` ms delay and one with no
/// delay, beside a marker timer due 1 ms before the earliest instant that second one can be
/// due, and an independent timer due after `independent` ms, if given.
fn chain_of_timers(delay: u64, independent: Option<u64>) {
    let (start, log) = (Instant::now(), Log::default());
    let mut el = EventLoop::new();
    let chain = Rc::clone(&log);
    el.set_timeout(Duration::from_millis(delay), move |el| {
        chain
            .borrow_mut()
            .push(("first", start.elapsed().as_millis()));
        log_at(el, &chain, start, delay, "second");
        log_at(el, &chain, start, 0, "right after the first");
    });
    let marker = 2 * delay - 1;
    log_at(&mut el, &log, start, marker, "marker");
    if let Some(millis) = independent {
        // Far enough that the chain's timers come first, however late their turns start.
        log_at(&mut el, &log, start, millis, "independent");
    }
    el.run();
    let chained: Vec<_> = labels(&log)
        .into_iter()
        .filter(|&label| label != "marker")
        .collect();
    let mut expected = vec!["first", "right after the first", "second"];
    expected.extend(independent.map(|_| "independent"));
    let beside = independent.map_or(String::new(), |ms| format!(", beside a {ms} ms timer"));
    assert_eq!(
        chained, expected,
        "a {delay} ms timer whose callback sets a {delay} ms and a 0 ms timer{beside}"
    );
    // The first callback's turn started at `delay` ms or later (its timer was due then), and
    // the second timer counts its delay from the start of that turn.
    let fired = labels(&log);
    let (marker_at, second_at) = (
        fired.iter().position(|&label| label == "marker"),
        fired.iter().position(|&label| label == "second"),
    );
    assert!(
        marker_at < second_at,
        "a callback whose turn started at {delay} ms or later set a timer with a {delay} ms \
         delay, which fired before a timer set before `run` with a delay of {marker} ms"
    );
    let second = log.borrow()[second_at.unwrap()].1;
    assert!(
        second >= u128::from(2 * delay),
        "a callback whose turn started at {delay} ms or later set a timer with a {delay} ms \
         delay, which fired at {second} ms"
    );
    assert_eq!(el.pending(), 0, "`run` returned while timers were pending");
}

#[test]
fn a_turn_reads_the_clock_when_it_starts() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        // A long callback at 10 ms: it holds the loop for 100 ms.
        el.set_timeout(Duration::from_millis(10), |_| {
            thread::sleep(Duration::from_millis(100))
        });
        // Due at 20 ms, this one runs at 110 ms or later; it sets a timer with a 50 ms delay,
        // due 50 ms after its own turn started.
        let chain = Rc::clone(&log);
        el.set_timeout(Duration::from_millis(20), move |el| {
            log_at(
                el,
                &chain,
                start,
                50,
                "set at 110 ms or later, with a 50 ms delay",
            );
        });
        log_at(
            &mut el,
            &log,
            start,
            120,
            "set before `run`, with a 120 ms delay",
        );
        el.run();
        assert_eq!(
            labels(&log),
            [
                "set before `run`, with a 120 ms delay",
                "set at 110 ms or later, with a 50 ms delay"
            ],
            "a timer set by a callback whose turn started at 110 ms or later, with a 50 ms \
             delay, is due at 160 ms or later, after one due at 120 ms"
        );
    });
}

#[test]
fn a_cleared_timer_never_fires() {
    within(|| {
        let (start, log) = (Instant::now(), Log::default());
        let mut el = EventLoop::new();
        log_at(&mut el, &log, start, 20, "kept");
        let doomed = Rc::clone(&log);
        let id = el.set_timeout(Duration::from_millis(10), move |_| {
            doomed.borrow_mut().push(("cleared", 0));
        });
        assert!(
            el.clear_timeout(id),
            "the timer was pending, yet clearing it returned `false`"
        );
        assert!(
            !el.clear_timeout(id),
            "the timer was already cleared, yet clearing it again returned `true`"
        );
        assert_eq!(
            el.pending(),
            1,
            "two timers set, one cleared: one is pending"
        );
        el.run();
        assert_eq!(
            labels(&log),
            ["kept"],
            "only the timer not cleared may fire"
        );
    });
}

#[test]
fn a_callback_can_cancel_a_pending_timer() {
    let cancelled = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&cancelled);
    within_or(
        move || {
            let (start, log) = (Instant::now(), Log::default());
            let mut el = EventLoop::new();
            let target: Rc<Cell<Option<TimerId>>> = Rc::default();
            let (canceller, slot) = (Rc::clone(&log), Rc::clone(&target));
            let first = el.set_timeout(Duration::from_millis(20), move |el| {
                let id = slot.get().expect("the slow timer's id");
                let was_pending = el.clear_timeout(id);
                cancelled.store(was_pending, Ordering::SeqCst);
                canceller
                    .borrow_mut()
                    .push((if was_pending { "cancelled" } else { "too late" }, 0));
            });
            // Due in an hour: `run` returns only if the cancelled timer is really gone.
            let slow = Rc::clone(&log);
            target.set(Some(el.set_timeout(Duration::from_secs(3600), move |_| {
                slow.borrow_mut()
                    .push(("slow", start.elapsed().as_millis()));
            })));
            el.run();
            assert_eq!(
                labels(&log),
                ["cancelled"],
                "a callback cleared a timer due in an hour"
            );
            assert!(
                !el.clear_timeout(first),
                "a timer that has fired is no longer pending, yet clearing it returned `true`"
            );
        },
        move || {
            if seen.load(Ordering::SeqCst) {
                format!(
                    "after {LIMIT:?}, `run` had not returned, though a callback had cleared the \
                     only other timer (due in an hour)"
                )
            } else {
                format!("after {LIMIT:?}, `run` had not returned")
            }
        },
    );
}

#[test]
fn an_empty_loop_returns_at_once() {
    within(|| {
        let mut el = EventLoop::new();
        el.run();
        assert_eq!(el.pending(), 0, "a new loop has no pending timer");
    });
}

/// This thread's processor time and its voluntary context switches (each time it blocked, in
/// a sleep for instance), from `/proc/thread-self` (Linux).
#[cfg(target_os = "linux")]
fn thread_usage() -> (Duration, u64) {
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
    let status = std::fs::read_to_string("/proc/thread-self/status").expect("read /proc");
    let switches = status
        .lines()
        .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
        .expect("voluntary_ctxt_switches in /proc/thread-self/status")
        .trim()
        .parse()
        .unwrap();
    (Duration::from_millis(ticks * 10), switches)
}

// Linux only: a thread's own processor time and context switches come from /proc, which std
// has no portable counterpart for (macOS and Windows skip it).
#[cfg(target_os = "linux")]
#[test]
fn the_loop_sleeps_instead_of_spinning() {
    within(|| {
        let mut el = EventLoop::new();
        el.set_timeout(Duration::from_millis(500), |_| {});
        let (cpu_before, switches_before) = thread_usage();
        el.run();
        let (cpu_after, switches_after) = thread_usage();
        let (used, slept) = (cpu_after - cpu_before, switches_after - switches_before);
        // A loop that sleeps until the timer is due blocks once (or a few times); one that
        // checks the clock again and again never blocks, or blocks at every check.
        assert!(
            slept >= 1 && used < Duration::from_millis(150),
            "waiting 500 ms for a timer, the loop used {used:?} of processor time and never \
             slept"
        );
        assert!(
            slept <= 5,
            "waiting 500 ms for a single timer, the loop went to sleep {slept} times"
        );
    });
}

/// Runs `test` on a thread of its own; fails if it panics, or has not finished within
/// [`LIMIT`] (a loop that never returns fails instead of hanging the test run).
fn within(test: impl FnOnce() + Send + 'static) {
    within_or(test, || format!("after {LIMIT:?}, `run` had not returned"));
}

/// [`within`], with `on_timeout` to say what was seen when the time was up.
fn within_or(test: impl FnOnce() + Send + 'static, on_timeout: impl FnOnce() -> String) {
    within_for_or(LIMIT, test, on_timeout);
}

/// [`within`], with a time limit of its own: `limit`.
fn within_for(limit: Duration, test: impl FnOnce() + Send + 'static) {
    within_for_or(limit, test, move || {
        format!("after {limit:?}, `run` had not returned")
    });
}

fn within_for_or(
    limit: Duration,
    test: impl FnOnce() + Send + 'static,
    on_timeout: impl FnOnce() -> String,
) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(limit) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("{}", on_timeout()),
        Err(RecvTimeoutError::Disconnected) => {
            // The test's own panic message has already been printed; pass its payload on.
            std::panic::resume_unwind(runner.join().expect_err("the test thread panicked"))
        }
    }
}
