//! Exercise: a single-slot handoff between threads, checked by loom.
//!
//! Finish [`Handoff`]: the bodies that say `todo!()`. Check your work with
//!
//! ```text
//! cargo xtask check loom-handoff
//! ```
//!
//! ```text
//!              try_put / put                    try_take / take
//! putters ───────────────────> [ one slot ] ───────────────────> takers
//!
//! state:  EMPTY ──put──> WRITING ──> FULL ──take──> READING ──> EMPTY
//! ```
//!
//! The slot holds at most one item. An atomic `state` says who may touch the slot: a putter
//! claims an EMPTY slot (EMPTY to WRITING), writes the item, then publishes it (FULL); a taker
//! claims a FULL slot (FULL to READING), reads the item out, then frees the slot (EMPTY). The
//! memory orderings of those steps are the heart of the exercise: the tests in `tests/loom.rs`
//! run the interleavings loom explores, and fail on any access to the slot that nothing orders
//! after the access before it.
//!
//! When every test passes but the ones named `harder_*`, the exercise is done. The last body,
//! [`Handoff::take_timeout`], is an optional harder step.

// While the bodies below are `todo!()`, their arguments, the constants and the imports are
// unused, and the compiler would warn about it. This line silences exactly those warnings;
// delete it when you are done (the solution has none).
#![allow(unused_variables, unused_imports, dead_code, unused_mut)]

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

// SAFETY, once your code makes it true: the slot is only touched by the one thread that claimed
// it through `state`, and each claim is ordered after every access of the slot's previous
// owner. An item moves from one thread to another, so `T` must be `Send`.
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
        todo!("claim an empty slot, write the item, publish it")
    }

    /// Takes the item out of the slot if there is one now.
    pub fn try_take(&self) -> Option<T> {
        todo!("claim a full slot, read the item out, free the slot")
    }

    /// Puts `item` in the slot, waiting for the slot to be empty.
    pub fn put(&self, mut item: T) {
        todo!("try to put until it works, giving way between two tries")
    }

    /// Takes an item out of the slot, waiting for one to come.
    pub fn take(&self) -> T {
        todo!("try to take until it works, giving way between two tries")
    }

    /// The optional harder step: [`take`](Self::take), giving up after `limit`. An item that is
    /// in the slot already is taken even with a limit of zero; `None` only once `limit` has
    /// passed with no item taken.
    pub fn take_timeout(&self, limit: Duration) -> Option<T> {
        todo!("the optional harder step: `take`, giving up after `limit`")
    }
}

impl<T> Default for Handoff<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Handoff<T> {
    fn drop(&mut self) {
        // Write this last: an item still in the slot must be dropped here. (It stays empty in the
        // starter: a `todo!()` here would panic while a failing test unwinds, and abort the
        // whole test program.)
    }
}
