//! The optional harder step: `set_interval`, a timer that repeats until it is cleared.
//! Run with `cargo xtask check event-loop-timers`, like the other tests.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use exercise_event_loop_timers::{EventLoop, TimerId};

const LIMIT: Duration = Duration::from_secs(5);

#[test]
fn harder_an_interval_repeats_until_it_is_cleared() {
    within(|| {
        let mut el = EventLoop::new();
        let runs = Rc::new(Cell::new(0));
        let counter = Rc::clone(&runs);
        let id = el.set_interval(Duration::from_millis(20), move |_| {
            counter.set(counter.get() + 1)
        });
        assert_eq!(el.pending(), 1, "an interval is one pending timer");
        let at_clear = Rc::new(Cell::new(None));
        let seen = Rc::clone(&at_clear);
        let runs_then = Rc::clone(&runs);
        el.set_timeout(Duration::from_millis(110), move |el| {
            seen.set(Some((runs_then.get(), el.clear_timeout(id))));
        });
        el.run();
        let (runs_at_clear, was_pending) = at_clear.get().expect("the 110 ms timer fired");
        assert!(
            was_pending,
            "the interval had not been cleared, yet clearing it returned `false`"
        );
        assert_eq!(
            runs_at_clear, 5,
            "an interval of 20 ms is due at 20, 40, 60, 80 and 100 ms before a timer due at \
             110 ms"
        );
        assert_eq!(runs.get(), 5, "the interval ran again after it was cleared");
        assert!(
            !el.clear_timeout(id),
            "the interval was already cleared, yet clearing it again returned `true`"
        );
    });
}

#[test]
fn harder_an_interval_can_clear_itself() {
    within(|| {
        let mut el = EventLoop::new();
        let runs = Rc::new(Cell::new(0));
        let cleared = Rc::new(Cell::new(false));
        let own_id: Rc<Cell<Option<TimerId>>> = Rc::default();
        let (counter, flag, slot) = (Rc::clone(&runs), Rc::clone(&cleared), Rc::clone(&own_id));
        let id = el.set_interval(Duration::from_millis(10), move |el| {
            counter.set(counter.get() + 1);
            if counter.get() == 3 {
                flag.set(el.clear_timeout(slot.get().expect("the interval's id")));
            }
        });
        own_id.set(Some(id));
        el.run();
        assert!(
            cleared.get(),
            "on its third run the interval cleared itself, and clearing returned `false`"
        );
        assert_eq!(
            runs.get(),
            3,
            "the interval cleared itself on its third run, yet it ran {} times",
            runs.get()
        );
        assert_eq!(el.pending(), 0, "`run` returned while timers were pending");
    });
}

#[test]
fn harder_a_late_run_does_not_push_the_next_ones_back() {
    within(|| {
        let mut el = EventLoop::new();
        let runs = Rc::new(Cell::new(0));
        // Every run of this 30 ms interval takes 40 ms: it is due at 30, 60, 90, 120 ms...,
        // and each run after the first starts late.
        let counter = Rc::clone(&runs);
        let id = el.set_interval(Duration::from_millis(30), move |_| {
            counter.set(counter.get() + 1);
            thread::sleep(Duration::from_millis(40));
        });
        let log = Rc::new(RefCell::new(None));
        let (seen, runs_then) = (Rc::clone(&log), Rc::clone(&runs));
        el.set_timeout(Duration::from_millis(95), move |el| {
            *seen.borrow_mut() = Some(runs_then.get());
            el.clear_timeout(id);
        });
        el.run();
        let before = log.borrow().expect("the 95 ms timer fired");
        assert_eq!(
            before, 3,
            "a 30 ms interval whose runs take 40 ms each is still due at 30, 60 and 90 ms: \
             three runs come before a timer due at 95 ms, but {before} did"
        );
    });
}

#[test]
fn harder_a_cleared_interval_never_runs() {
    within(|| {
        let mut el = EventLoop::new();
        let runs = Rc::new(Cell::new(0));
        let counter = Rc::clone(&runs);
        let id = el.set_interval(Duration::from_secs(3600), move |_| {
            counter.set(counter.get() + 1)
        });
        assert!(
            el.clear_timeout(id),
            "the interval was pending, yet clearing it returned `false`"
        );
        assert_eq!(el.pending(), 0, "the only timer, an interval, was cleared");
        el.run();
        assert_eq!(runs.get(), 0, "a cleared interval ran");
    });
}

#[test]
fn harder_clearing_a_timeout_leaves_an_interval_alone() {
    within(|| {
        let mut el = EventLoop::new();
        let fired = Rc::new(Cell::new(false));
        let flag = Rc::clone(&fired);
        let timeout = el.set_timeout(Duration::from_millis(10), move |_| flag.set(true));
        let runs = Rc::new(Cell::new(0));
        let counter = Rc::clone(&runs);
        let interval = el.set_interval(Duration::from_millis(20), move |_| {
            counter.set(counter.get() + 1)
        });
        assert!(
            el.clear_timeout(timeout),
            "the timeout was pending, yet clearing it returned `false`"
        );
        el.set_timeout(Duration::from_millis(70), move |el| {
            el.clear_timeout(interval);
        });
        el.run();
        assert!(!fired.get(), "the cleared timeout fired");
        assert_eq!(
            runs.get(),
            3,
            "after a timeout was cleared, an interval of 20 ms set next to it must still run at \
             20, 40 and 60 ms, before a timer due at 70 ms clears it"
        );
    });
}

/// Runs `test` on a thread of its own; fails if it panics, or has not finished within
/// [`LIMIT`] (a loop that never returns fails instead of hanging the test run).
fn within(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("after {LIMIT:?}, `run` had not returned"),
        Err(RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(runner.join().expect_err("the test thread panicked"))
        }
    }
}
