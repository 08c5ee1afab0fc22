use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = 4;
const STEPS: usize = 1_000;

fn main() {
    let hits = AtomicUsize::new(0);
    let careless = AtomicUsize::new(0);

    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for step in 0..STEPS {
                    // One indivisible read-modify-write: nothing is lost.
                    hits.fetch_add(1, Ordering::Relaxed);

                    // Two steps, and another thread may store in between:
                    let seen = careless.load(Ordering::Relaxed);
                    // (the OS may switch threads here at any time; on one
                    // step in ten this asks it to, so that it happens
                    // often, not rarely)
                    if step % 10 == 0 {
                        thread::yield_now();
                    }
                    careless.store(seen + 1, Ordering::Relaxed);
                }
            });
        }
    });

    // Every thread has ended: into_inner() takes the values out.
    let (hits, careless) = (hits.into_inner(), careless.into_inner());
    println!("expected      = {}", THREADS * STEPS);
    println!("fetch_add     = {hits}");
    println!("load + store  = {careless} (updates may be lost)");
}
