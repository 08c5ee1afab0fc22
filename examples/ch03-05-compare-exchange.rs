use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

const THREADS: usize = 4;
const STEPS: usize = 1_000;

fn main() {
    let count = AtomicUsize::new(0);
    let retries = AtomicUsize::new(0);

    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for step in 0..STEPS {
                    let mut seen = count.load(Ordering::Relaxed);
                    // The same gap as the careless counter had:
                    if step % 10 == 0 {
                        thread::yield_now();
                    }
                    loop {
                        // Store seen + 1 only if count still holds seen.
                        match count.compare_exchange(
                            seen,
                            seen + 1,
                            Ordering::Relaxed,
                            Ordering::Relaxed,
                        ) {
                            Ok(_) => break,
                            // Another thread got there first: start
                            // again from the value it left.
                            Err(now) => {
                                seen = now;
                                retries.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                }
            });
        }
    });

    println!("expected = {}", THREADS * STEPS);
    println!("count    = {}", count.into_inner());
    println!(
        "retries  = {} (changes from run to run)",
        retries.into_inner()
    );
}
