//! Wrong: `run` sleeps from the loop's clock to each due time, and never moves the clock: the waits add up
//! Fails: the_waits_overlap, a_turn_reads_the_clock_when_it_starts
//!
//! A wrong solution, kept to prove that the tests catch this mistake:
//! `cargo xtask check event-loop-timers --wrong 08` runs them on it. The mistake is
//! marked `WRONG` below; the rest is the solution.

use std::collections::{BTreeMap, HashMap};
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
    /// The optional harder step: for each interval not cleared, by registration number, the
    /// due time of its next run (its key in `pending` moves on each time it runs).
    intervals: HashMap<u64, Instant>,
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
            intervals: HashMap::new(),
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
        let due = self.now + delay;
        self.registered += 1;
        let key = (due, self.registered);
        self.pending.insert(key, Box::new(callback));
        TimerId(key.0, key.1)
    }

    /// Cancels a pending timer: its callback will never run. Returns `true` if the timer was
    /// pending, `false` if it had already fired or been cancelled.
    pub fn clear_timeout(&mut self, id: TimerId) -> bool {
        // An interval's next run is no longer at the due time its id holds (harder step).
        if let Some(next) = self.intervals.remove(&id.1) {
            self.pending.remove(&(next, id.1));
            return true;
        }
        self.pending.remove(&(id.0, id.1)).is_some()
    }

    /// Runs the loop until no timer is pending: waits until the earliest timer is due, reads
    /// the clock into `now`, runs its callback (lending it the loop), and starts over.
    ///
    /// While it waits, the loop sleeps: it must not spin on the clock, burning a processor.
    pub fn run(&mut self) {
        // `pop_first` takes the timer out before it runs: its callback may set or clear timers,
        // which needs the loop (and its map) lent to it whole.
        while let Some(((due, _), callback)) = self.pending.pop_first() {
            // WRONG: `self.now` never moves, so this is the timer's whole delay.
            std::thread::sleep(due.saturating_duration_since(self.now));
            callback(self);
        }
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
        self.registered += 1;
        let (due, number) = (self.now + period, self.registered);
        self.arm_interval(due, number, period, Box::new(callback));
        TimerId(due, number)
    }

    /// Puts the next run of interval `number` in `pending`, due at `due`.
    fn arm_interval(
        &mut self,
        due: Instant,
        number: u64,
        period: Duration,
        mut callback: Box<dyn FnMut(&mut EventLoop)>,
    ) {
        self.intervals.insert(number, due);
        let run = move |el: &mut EventLoop| {
            callback(el);
            // Cleared while it ran (by itself, say)? Then there is no next run.
            if el.intervals.contains_key(&number) {
                el.arm_interval(due + period, number, period, callback);
            }
        };
        self.pending.insert((due, number), Box::new(run));
    }
}
