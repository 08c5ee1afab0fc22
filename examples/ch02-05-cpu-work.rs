use std::ops::Range;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, path::Path};

const LIMIT: u64 = 2_000_000;

/// Counts the primes in `range` with a sieve of Eratosthenes over that range only.
fn count_primes(range: Range<u64>) -> u64 {
    let mut is_prime = vec![true; (range.end - range.start) as usize];
    for p in (2..).take_while(|p| p * p < range.end) {
        let first = (p * p).max(range.start.div_ceil(p) * p); // first multiple of p to cross
        for multiple in (first..range.end).step_by(p as usize) {
            is_prime[(multiple - range.start) as usize] = false;
        }
    }
    let from = range.start.max(2); // 0 and 1 are not primes
    (from..range.end)
        .filter(|n| is_prime[(n - range.start) as usize])
        .count() as u64
}

/// Splits 0..LIMIT into `n` ranges, counts each in a worker process, and collects the parts.
fn run_workers(me: &Path, n: u64) -> (Vec<(Range<u64>, u64)>, Duration) {
    let start = Instant::now();
    let ranges: Vec<Range<u64>> = (0..n).map(|i| LIMIT * i / n..LIMIT * (i + 1) / n).collect();
    let mut workers = Vec::new();
    for r in &ranges {
        let mut worker = Command::new(me);
        worker.args(["worker", &r.start.to_string(), &r.end.to_string()]);
        workers.push(
            worker
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a worker"),
        );
    }
    // All workers are running now; collect what each one printed.
    let mut parts = Vec::new();
    for (worker, range) in workers.into_iter().zip(ranges) {
        let output = worker.wait_with_output().expect("wait for a worker");
        let text = String::from_utf8(output.stdout).expect("a worker prints text");
        parts.push((
            range,
            text.trim().parse().expect("a worker prints a number"),
        ));
    }
    (parts, start.elapsed())
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if let [mode, start, end] = args.as_slice() {
        assert_eq!(mode, "worker");
        let range = start.parse().expect("a number")..end.parse().expect("a number");
        return println!("{}", count_primes(range));
    }

    let me = env::current_exe().expect("the path of this program");
    for n in [1, 4] {
        let (parts, elapsed) = run_workers(&me, n);
        for (range, count) in &parts {
            println!("  worker for {range:?}: {count} primes");
        }
        let total: u64 = parts.iter().map(|(_, count)| count).sum();
        println!("{n} worker(s): {total} primes below {LIMIT} in {elapsed:.0?}");
    }
}
