//! The one place that chooses between loom's types and std's: with `--cfg loom` (the model
//! tests of `tests/loom.rs`), loom's, which let loom run every interleaving; otherwise std's.
//! The rest of the crate imports them from here. This file is complete: you need not edit it.

#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, Ordering};

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU8, Ordering};

/// Gives way to the other threads, between two tries of a thread that waits for the slot.
///
/// Under loom, `loom::thread::yield_now`: loom's scheduler is unfair on purpose, and only a
/// yield tells it that this thread can make no progress until another one runs.
#[cfg(loom)]
pub(crate) fn backoff() {
    loom::thread::yield_now();
}

/// On real threads, a short sleep. `std::thread::yield_now` is not enough there: on Linux, when
/// every core is busy with other programs, a yielding thread can give its core away for a
/// whole time slice, and a handoff of a few thousand items crawls for seconds.
#[cfg(not(loom))]
pub(crate) fn backoff() {
    std::thread::sleep(std::time::Duration::from_micros(20));
}

/// std's `UnsafeCell` with the API of loom's: each access goes through `with` (to read) or
/// `with_mut` (to write), so that loom can check that no two of them race.
#[cfg(not(loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    pub(crate) fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
