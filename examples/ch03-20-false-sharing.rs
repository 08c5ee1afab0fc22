use crossbeam_utils::CachePadded;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const THREADS: usize = 2;
const STEPS: u64 = 1_000_000;
const TRIES: usize = 3; // the best of 3 runs: less noise

/// The counters side by side, 8 bytes each, starting a 64-byte line:
/// all of them in one cache line.
#[repr(align(64))]
struct OneLine([AtomicU64; THREADS]);

/// Each thread adds 1 to its own counter STEPS times: no counter is
/// shared, yet they may share a cache line. Returns the time taken.
fn count(counters: [&AtomicU64; THREADS]) -> Duration {
    let start = Instant::now();
    thread::scope(|s| {
        for counter in counters {
            s.spawn(move || {
                for _ in 0..STEPS {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    start.elapsed()
}

/// How many bytes the second counter starts after the first.
fn gap(counters: [&AtomicU64; THREADS]) -> usize {
    counters[1].as_ptr().addr() - counters[0].as_ptr().addr()
}

/// What each counter holds after every try.
fn totals(counters: [&AtomicU64; THREADS]) -> [u64; THREADS] {
    counters.map(|c| c.load(Ordering::Relaxed))
}

fn main() {
    let near = OneLine(Default::default());
    // Padded: each counter alone in 128 bytes on x86-64 (two lines).
    let apart: [CachePadded<AtomicU64>; THREADS] = Default::default();
    let near_refs = near.0.each_ref();
    let apart_refs = apart.each_ref().map(|c| &**c);

    let mut near_time = Duration::MAX;
    let mut apart_time = Duration::MAX;
    for _ in 0..TRIES {
        near_time = near_time.min(count(near_refs));
        apart_time = apart_time.min(count(apart_refs));
    }

    let (n, a) = (totals(near_refs), totals(apart_refs));
    let (gn, ga) = (gap(near_refs), gap(apart_refs));
    println!(
        "side by side: counts {n:?}, {gn:>3} bytes apart, {near_time:.1?}"
    );
    println!(
        "padded:       counts {a:?}, {ga} bytes apart, {apart_time:.1?}"
    );
    let ratio = near_time.as_secs_f64() / apart_time.as_secs_f64();
    println!("side by side took {ratio:.1} times as long (varies)");
}
