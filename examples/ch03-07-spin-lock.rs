use std::cell::UnsafeCell;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::thread;

/// A lock built from the two pieces every lock is made of: an atomic state
/// that says "taken" (here a flag), and an UnsafeCell, whose contents may be
/// changed through a shared reference (`&SpinLock`), if we make that safe.
struct SpinLock<T> {
    taken: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only inside `with`, which lets one thread
// in at a time and lends `&mut T` for that call only. So threads that
// share a `&SpinLock<T>` use the `T` one after the other, which is like
// sending it from thread to thread: safe when `T: Send`.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    fn new(value: T) -> Self {
        let taken = AtomicBool::new(false);
        SpinLock {
            taken,
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` on the value, with the lock held.
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // Acquire: see what the previous holder wrote before it let go.
        while self
            .taken
            .compare_exchange_weak(false, true, Acquire, Relaxed)
            .is_err()
        {
            thread::yield_now(); // a real lock would sleep (park)
        }
        // SAFETY: we set `taken`, so no other `&mut T` exists until we
        // clear it, and the one we lend cannot outlive this call.
        let result = f(unsafe { &mut *self.value.get() });
        // Release: our writes are seen by the next thread to Acquire.
        self.taken.store(false, Release);
        result
    }
}

fn main() {
    let log = SpinLock::new(Vec::new());
    thread::scope(|s| {
        for id in 0..4 {
            let log = &log;
            s.spawn(move || {
                for _ in 0..1000 {
                    log.with(|v| v.push(id));
                }
            });
        }
    });
    let entries = log.with(|v| v.len());
    println!("{entries} entries, none lost");
}
