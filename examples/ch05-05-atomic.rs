use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;

const PER_THREAD: u64 = 1_000_000;

fn main() {
    // The same counter, fixed: each increment is one atomic
    // read-modify-write, and `AtomicU64` is `Sync` by itself.
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    counter.fetch_add(1, Relaxed);
                }
            });
        }
    });
    // The scope joined both threads: every increment is visible.
    let total = counter.into_inner();
    println!("expected {}, counted {total}", 2 * PER_THREAD);
}
