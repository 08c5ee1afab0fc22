use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = 4;
const STEPS: usize = 1_000_000;

fn main() {
    let hits = AtomicUsize::new(0);
    let careless = AtomicUsize::new(0);

    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..STEPS {
                    // One indivisible read-modify-write: no update is ever lost.
                    hits.fetch_add(1, Ordering::Relaxed);

                    // Two separate steps: another thread may write in between,
                    // and then one of the two increments is lost.
                    let seen = careless.load(Ordering::Relaxed);
                    careless.store(seen + 1, Ordering::Relaxed);
                }
            });
        }
    });

    let (hits, careless) = (hits.into_inner(), careless.into_inner());
    println!("expected      = {}", THREADS * STEPS);
    println!("fetch_add     = {hits}");
    println!("load + store  = {careless} (updates may be lost)");
}
