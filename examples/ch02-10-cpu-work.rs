use std::ops::Range;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{env, path::Path};

const LIMIT: u64 = 2_000_000;

/// Is `n` prime? Trial division: by 2, then by every odd number up to the
/// square root of `n`.
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

/// The job of one worker: how many numbers in `range` are prime.
fn count_primes(range: Range<u64>) -> u64 {
    range.filter(|&n| is_prime(n)).count() as u64
}

/// Splits 0..LIMIT into `n` ranges, counts each in a worker process, and
/// collects the parts.
fn run_workers(me: &Path, n: u64) -> (Vec<(Range<u64>, u64)>, Duration) {
    let start = Instant::now();
    let part = |i: u64| LIMIT * i / n..LIMIT * (i + 1) / n; // the i-th of n
    let ranges: Vec<Range<u64>> = (0..n).map(part).collect();
    let mut workers = Vec::new();
    for r in &ranges {
        let (start, end) = (r.start.to_string(), r.end.to_string());
        let mut worker = Command::new(me);
        worker.args(["worker", &start, &end]).stdout(Stdio::piped());
        workers.push(worker.spawn().expect("start a worker"));
    }
    // All the workers are running now; collect what each one printed.
    let mut parts = Vec::new();
    for (worker, range) in workers.into_iter().zip(ranges) {
        let output = worker.wait_with_output().expect("wait for a worker");
        let text = String::from_utf8(output.stdout).expect("text");
        let count: u64 = text.trim().parse().expect("a number");
        parts.push((range, count));
    }
    (parts, start.elapsed())
}

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() == 4 && args[1] == "worker" {
        let number = |i: usize| args[i].parse::<u64>().expect("a number");
        println!("{}", count_primes(number(2)..number(3)));
        return;
    }

    let me = env::current_exe().expect("the path of this program");
    for n in [1, 4] {
        let (parts, elapsed) = run_workers(&me, n);
        let total: u64 = parts.iter().map(|(_, count)| count).sum();
        let took = format!("{elapsed:.0?}");
        println!("{n} worker(s): {total} primes below {LIMIT} in {took}");
        for (range, count) in &parts {
            println!("  worker for {range:?}: {count} primes");
        }
    }
}
