//! Exercise: a timer event loop, with cancellation.
//!
//! Finish [`EventLoop::set_timeout`], [`EventLoop::clear_timeout`] and [`EventLoop::run`]:
//! three of the bodies that say `todo!()`. Everything else is given. Check your work with
//!
//! ```text
//! cargo xtask check event-loop-timers
//! ```
//!
//! The loop is the one of chapter 1 ("A tiny event loop"), in the form of its callback chain (a
//! callback receives the loop, so it can set new timers, or cancel pending ones), with one thing
//! more: a timer can be cancelled before it fires, as `clearTimeout` does in JavaScript or
//! `TimerHandle.cancel()` in Python's asyncio.
//!
//! When every test passes but the ones named `harder_*`, the exercise is done. The fourth body,
//! [`EventLoop::set_interval`], is an optional harder step: a timer that repeats.

// While the bodies below are `todo!()`, their arguments and the struct's fields are unused, and
// the compiler would warn about it. These two lines silence exactly those warnings; delete them
// when you are done (the solution has none).
#![allow(unused_variables, dead_code)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What a timer runs when it fires. It receives the loop, to set or clear other timers.
pub type Callback = Box<dyn FnOnce(&mut EventLoop)>;

/// The name of a pending timer, returned by [`EventLoop::set_timeout`]: give it to
/// [`EventLoop::clear_timeout`] to cancel that timer.
///
/// It holds the timer's key in [`EventLoop`]'s `pending` map: its due time, then its
/// registration number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerId(Instant, u64);

/// A single-threaded event loop whose only events are timers.
pub struct EventLoop {
    /// The loop's clock, read once per turn: delays count from it. Timers set in the same turn
    /// (before `run`, or by one callback) are timed from the same instant.
    now: Instant,
    /// The pending timers, sorted by (due time, registration number): the first is the next
    /// to fire; two timers due at the same instant fire in the order they were set.
    pending: BTreeMap<(Instant, u64), Callback>,
    /// How many timers have been set so far: the next registration number.
    registered: u64,
}

impl Default for EventLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl EventLoop {
    /// An empty loop whose clock starts now.
    pub fn new() -> Self {
        EventLoop {
            now: Instant::now(),
            pending: BTreeMap::new(),
            registered: 0,
        }
    }

    /// How many timers are waiting to fire.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Sets a timer: `callback` runs once, `delay` after the loop's clock `now` (read at the
    /// start of each turn), and not before. Returns at once, with the name of the timer.
    ///
    /// Timers due at the same instant fire in the order they were set.
    pub fn set_timeout(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut EventLoop) + 'static,
    ) -> TimerId {
        todo!("register the callback under a new key (due time, registration number)")
    }

    /// Cancels a pending timer: its callback will never run. Returns `true` if the timer was
    /// pending, `false` if it had already fired or been cancelled.
    pub fn clear_timeout(&mut self, id: TimerId) -> bool {
        todo!("forget the timer named by `id`")
    }

    /// Runs the loop until no timer is pending: waits until the earliest timer is due, reads
    /// the clock into `now`, runs its callback (lending it the loop), and starts over.
    ///
    /// While it waits, the loop sleeps: it must not spin on the clock, burning a processor.
    pub fn run(&mut self) {
        todo!("take the earliest timer, sleep until it is due, update `now`, call it back")
    }

    /// The optional harder step. Sets a repeating timer: `callback` runs `period` after the
    /// loop's clock `now`, then every `period` after that, until the timer is cleared with
    /// [`EventLoop::clear_timeout`] (by any callback, its own included). Each run is due
    /// `period` after the previous run was *due*, not after it ran: a late run does not push
    /// the later ones back.
    pub fn set_interval(
        &mut self,
        period: Duration,
        callback: impl FnMut(&mut EventLoop) + 'static,
    ) -> TimerId {
        todo!("a timer whose callback, each time it runs, sets the next run")
    }
}
