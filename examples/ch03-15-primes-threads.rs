use std::ops::Range;
use std::thread;
use std::time::Instant;

const N: u64 = 2_000_000;

/// Is `n` prime? Trial division, as in chapter 2: by 2, then by the odd
/// numbers up to √n.
fn is_prime(n: u64) -> bool {
    if n < 2 || n.is_multiple_of(2) {
        return n == 2;
    }
    let mut d = 3;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

fn count_primes(range: Range<u64>) -> usize {
    range.filter(|&n| is_prime(n)).count()
}

/// Splits 0..N into `workers` equal ranges (as chapter 2 did), counts each
/// in its own thread, adds the counts.
fn count_with_threads(workers: u64) -> usize {
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|i| {
                let range = N * i / workers..N * (i + 1) / workers;
                s.spawn(move || count_primes(range))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    println!("primes below {N}, on a machine with {cores} core(s)");

    let start = Instant::now();
    let count = count_with_threads(1);
    let one = start.elapsed().as_secs_f64();
    println!("1 thread:  {count} primes in {one:.3} s");

    let workers = cores.max(2); // at least two, even on a single core
    let start = Instant::now();
    let count = count_with_threads(workers);
    let many = start.elapsed().as_secs_f64();
    let speedup = one / many;
    let line = format!("{count} primes in {many:.3} s ({speedup:.2}x)");
    println!("{workers} threads: {line}");
}
