use std::cell::UnsafeCell;
use std::sync::Barrier;
use std::thread;

/// A counter that two threads bump through a shared reference.
struct Counter(UnsafeCell<u64>);

// WRONG, on purpose: this promises the compiler that sharing
// `&Counter` between threads is safe. Nothing makes it true.
unsafe impl Sync for Counter {}

impl Counter {
    fn add_one(&self) {
        // Read, add one, write back, with no lock and no atomic:
        // two threads may do it at once. A data race.
        unsafe { *self.0.get() += 1 };
    }
}

const PER_THREAD: u64 = 1_000_000;

fn main() {
    let counter = Counter(UnsafeCell::new(0));
    let start = Barrier::new(2); // both threads start together
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                start.wait();
                for _ in 0..PER_THREAD {
                    counter.add_one();
                }
            });
        }
    });
    let total = counter.0.into_inner();
    println!("expected {}, counted {total}", 2 * PER_THREAD);
}
