//! Wrong: `put` and `take` give way with `std::thread::yield_now()` instead of `backoff()`: loom does not see std's yield, so its unfair scheduler may run the waiting thread for ever
//! Fails: put_and_take_wait_for_each_other
//!
//! A wrong solution, kept to prove that the tests catch this mistake:
//! `cargo xtask check loom-handoff --wrong 17` runs them on it. The mistake is
//! marked `WRONG` below; the rest is the solution.

mod sync;

use std::mem::MaybeUninit;
use std::time::{Duration, Instant};

use sync::{AtomicU8, Ordering, UnsafeCell, backoff};

/// Nothing in the slot: a putter may claim it.
const EMPTY: u8 = 0;
/// A putter claimed the slot and is writing its item.
const WRITING: u8 = 1;
/// An item is in the slot: a taker may claim it.
const FULL: u8 = 2;
/// A taker claimed the slot and is reading the item out.
const READING: u8 = 3;

/// A slot that hands one item at a time from the threads that put to the threads that take.
///
/// What must hold, whatever the timing and however many threads put and take at once:
///
/// - **Each item put is taken once**: never lost, never taken twice, never overwritten by a
///   later put.
/// - **A taker sees the whole item**: everything the putter wrote before it put the item is
///   visible to the thread that takes it (the item's contents, and what it points to).
/// - **A putter never writes over an item that is being read**.
/// - **Waiting lets the others run**: `put` and `take` wait for the slot by trying again, and
///   give way to the other threads between two tries.
/// - **Nothing leaks**: an item still in the slot when the `Handoff` is dropped is dropped with
///   it.
pub struct Handoff<T> {
    state: AtomicU8,
    slot: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: the slot is only touched by the one thread that claimed it through `state`, and each
// claim is ordered after the previous owner's accesses (Acquire on the claim, Release on the
// hand-back). An item moves from one thread to another, so `T` must be `Send`.
unsafe impl<T: Send> Sync for Handoff<T> {}

impl<T> Handoff<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Handoff {
            state: AtomicU8::new(EMPTY),
            slot: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Puts `item` in the slot if it is empty now, or gives it back as `Err(item)`.
    pub fn try_put(&self, item: T) -> Result<(), T> {
        // Acquire: the last taker's read of the slot happens before our write.
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(item);
        }
        // SAFETY: the slot is ours (WRITING) and empty.
        self.slot.with_mut(|slot| unsafe { (*slot).write(item) });
        // Release: our write happens before the read of whoever sees FULL with Acquire.
        self.state.store(FULL, Ordering::Release);
        Ok(())
    }

    /// Takes the item out of the slot if there is one now.
    pub fn try_take(&self) -> Option<T> {
        // Acquire: the putter's write happens before our read.
        if self
            .state
            .compare_exchange(FULL, READING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return None;
        }
        // SAFETY: the slot is ours (READING) and holds an item, which we move out.
        let item = self.slot.with(|slot| unsafe { (*slot).assume_init_read() });
        // Release: our read happens before the next putter's write.
        self.state.store(EMPTY, Ordering::Release);
        Some(item)
    }

    /// Puts `item` in the slot, waiting for the slot to be empty.
    pub fn put(&self, mut item: T) {
        loop {
            match self.try_put(item) {
                Ok(()) => return,
                Err(back) => item = back,
            }
            // WRONG: std's yield, which loom does not see; `backoff()` yields under loom.
            std::thread::yield_now();
        }
    }

    /// Takes an item out of the slot, waiting for one to come.
    pub fn take(&self) -> T {
        loop {
            if let Some(item) = self.try_take() {
                return item;
            }
            std::thread::yield_now(); // WRONG: the same mistake
        }
    }

    /// The optional harder step: [`take`](Self::take), giving up after `limit`. An item that is
    /// in the slot already is taken even with a limit of zero; `None` only once `limit` has
    /// passed with no item taken.
    pub fn take_timeout(&self, limit: Duration) -> Option<T> {
        let start = Instant::now();
        loop {
            if let Some(item) = self.try_take() {
                return Some(item);
            }
            if start.elapsed() >= limit {
                return None;
            }
            backoff();
        }
    }
}

impl<T> Default for Handoff<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Handoff<T> {
    fn drop(&mut self) {
        // `&mut self`: no other thread can touch the handoff now, and whatever gave us this
        // exclusive access (a join, the last `Arc`) ordered their accesses before ours.
        if self.state.load(Ordering::Relaxed) == FULL {
            // SAFETY: FULL means the slot holds an item nobody took.
            self.slot
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
