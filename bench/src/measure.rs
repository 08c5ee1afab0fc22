//! The measurements: spawn + join latency, peak memory of idle units, and the CPU-bound job
//! split over workers, as threads, as processes and with rayon.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// The CPU-bound job: count the primes below `limit`, by trial division. Its numbers are cut
/// into this many blocks, dealt round-robin to the workers (block `b` goes to worker
/// `b % workers`), so that every worker gets about the same share of large numbers.
pub const BLOCKS: u64 = 96;

pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
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

/// The primes in block `block` of [0, limit).
pub fn count_block(limit: u64, block: u64) -> u64 {
    let size = limit.div_ceil(BLOCKS);
    let start = block * size;
    let end = (start + size).min(limit);
    (start..end).filter(|&n| is_prime(n)).count() as u64
}

/// Worker `index` of `workers`: its blocks, round-robin.
pub fn count_share(limit: u64, workers: u64, index: u64) -> u64 {
    (index..BLOCKS)
        .step_by(workers as usize)
        .map(|b| count_block(limit, b))
        .sum()
}

pub fn sequential(limit: u64) -> u64 {
    count_share(limit, 1, 0)
}

pub fn with_threads(limit: u64, workers: u64) -> u64 {
    let handles: Vec<_> = (0..workers)
        .map(|i| std::thread::spawn(move || count_share(limit, workers, i)))
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

/// The course's pattern: this same program, started again as `worker cpu LIMIT WORKERS INDEX`,
/// prints its share on stdout.
pub fn with_processes(limit: u64, workers: u64) -> u64 {
    let me = std::env::current_exe().expect("the path of this program");
    let children: Vec<_> = (0..workers)
        .map(|i| {
            Command::new(&me)
                .args(["worker", "cpu"])
                .args([limit, workers, i].map(|n| n.to_string()))
                .stdout(Stdio::piped())
                .spawn()
                .expect("start a worker process")
        })
        .collect();
    children
        .into_iter()
        .map(|mut child| {
            let mut out = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            assert!(child.wait().unwrap().success(), "a worker failed");
            out.trim().parse::<u64>().expect("a worker's count")
        })
        .sum()
}

pub fn with_rayon(limit: u64, workers: u64) -> u64 {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers as usize)
        .build()
        .expect("a rayon pool");
    pool.install(|| {
        (0..BLOCKS)
            .into_par_iter()
            .map(|b| count_block(limit, b))
            .sum()
    })
}

/// What `course-bench worker ...` does: the process side of the measurements.
pub fn worker(args: &[String]) {
    match args {
        [what] if what == "noop" => {}
        [what] if what == "idle" => {
            // An idle worker: says it is up, then waits for the end of its input.
            println!("ready");
            let _ = std::io::stdout().flush();
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        }
        [what, limit, workers, index] if what == "cpu" => {
            let n = |s: &String| s.parse::<u64>().expect("a number");
            println!("{}", count_share(n(limit), n(workers), n(index)));
        }
        _ => {
            eprintln!("usage: course-bench worker <noop | idle | cpu LIMIT WORKERS INDEX>");
            std::process::exit(2);
        }
    }
}

/// Runs `job` `reps` times and returns the duration of each run.
pub fn durations(reps: usize, mut job: impl FnMut()) -> Vec<Duration> {
    (0..reps)
        .map(|_| {
            let start = Instant::now();
            job();
            start.elapsed()
        })
        .collect()
}

/// Spawn + join of one OS thread that does nothing.
pub fn spawn_threads(reps: usize) -> Vec<Duration> {
    durations(reps, || std::thread::spawn(|| {}).join().unwrap())
}

/// Spawn + join (await) of one tokio task that does nothing, on the default (multi-thread)
/// runtime, from a task: the way tasks start tasks in an async program.
pub fn spawn_tasks(reps: usize) -> Vec<Duration> {
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    rt.block_on(async {
        tokio::spawn(async move {
            let mut out = Vec::with_capacity(reps);
            for _ in 0..reps {
                let start = Instant::now();
                tokio::spawn(async {}).await.unwrap();
                out.push(start.elapsed());
            }
            out
        })
        .await
        .unwrap()
    })
}

/// Spawn + wait of one worker process (this program again) that does nothing.
pub fn spawn_processes(reps: usize) -> Vec<Duration> {
    let me = std::env::current_exe().expect("the path of this program");
    durations(reps, || {
        let status = Command::new(&me)
            .args(["worker", "noop"])
            .stdout(Stdio::null())
            .status()
            .expect("start a worker process");
        assert!(status.success());
    })
}

/// A line of /proc/self/status, in KiB (`VmHWM` is the peak resident set size).
pub fn proc_status_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The peak resident memory of this process so far, in KiB, as the OS counts it (VmHWM, on
/// Linux; 0 where there is no /proc).
pub fn peak_kb() -> u64 {
    proc_status_kb("VmHWM").unwrap_or(0)
}

/// N idle worker processes (this program again, `worker idle`) alive at once: the sum of their
/// proportional set sizes (PSS, from `/proc/PID/smaps_rollup`, in KiB). A page that several of
/// them share (the program's code, the C library) counts for each a share: PSS adds up to the
/// memory the N processes really take, unlike N times the resident size of one. `None` where
/// there is no /proc (or a worker could not start).
pub fn idle_processes_pss_kb(n: usize) -> Option<u64> {
    let me = std::env::current_exe().ok()?;
    let mut children = Vec::with_capacity(n);
    let mut ok = true;
    for _ in 0..n {
        let spawned = Command::new(&me)
            .args(["worker", "idle"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push(child),
            Err(_) => {
                ok = false;
                break;
            }
        }
    }
    // Every worker has said "ready": it is up and waiting.
    for child in &mut children {
        let mut line = String::new();
        let out = child.stdout.as_mut().expect("stdout is piped");
        ok &= BufReader::new(out)
            .read_line(&mut line)
            .is_ok_and(|_| line == "ready\n");
    }
    let mut total = 0;
    for child in &children {
        let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", child.id()));
        let pss = rollup.ok().and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
        match pss {
            Some(kb) => total += kb,
            None => ok = false,
        }
    }
    for mut child in children {
        drop(child.stdin.take()); // the end of its input: the worker exits
        let _ = child.wait();
    }
    ok.then_some(total)
}

/// `course-bench mem <threads|tasks> N`: in a fresh process, keep N idle units alive at
/// once, then print the process's peak resident memory as JSON.
pub fn mem_child(args: &[String]) {
    let (kind, n) = match args {
        [kind, n] => (
            kind.as_str(),
            n.parse::<usize>().expect("a number of units"),
        ),
        _ => {
            eprintln!("usage: course-bench mem <threads|tasks> N");
            std::process::exit(2);
        }
    };
    let alive = match kind {
        "threads" => idle_threads(n),
        "tasks" => idle_tasks(n),
        _ => {
            eprintln!("mem: unknown kind {kind}");
            std::process::exit(2);
        }
    };
    println!(
        "{}",
        serde_json::json!({ "kind": kind, "units": n, "alive": alive, "peak_kb": peak_kb() })
    );
}

/// N threads, each blocked on a barrier until all of them exist; returns how many were alive
/// at once.
fn idle_threads(n: usize) -> usize {
    let barrier = Arc::new(Barrier::new(n + 1));
    let mut handles = Vec::with_capacity(n);
    for _ in 0..n {
        let b = Arc::clone(&barrier);
        let spawned = std::thread::Builder::new().spawn(move || {
            b.wait(); // every thread exists
            b.wait(); // released
        });
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => {
                eprintln!("mem: could not start thread {}: {e}", handles.len() + 1);
                std::process::exit(1); // ends the waiting threads too
            }
        }
    }
    barrier.wait();
    let alive = handles.len();
    barrier.wait();
    for h in handles {
        h.join().unwrap();
    }
    alive
}

/// N tokio tasks on the default runtime, each waiting on a watch channel until all of them
/// have started; returns how many were alive at once.
fn idle_tasks(n: usize) -> usize {
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    rt.block_on(async {
        let (tx, rx) = tokio::sync::watch::channel(false);
        let mut handles = Vec::with_capacity(n);
        for _ in 0..n {
            let mut rx = rx.clone();
            handles.push(tokio::spawn(async move {
                STARTED.fetch_add(1, Ordering::Relaxed);
                let _ = rx.changed().await;
            }));
        }
        while STARTED.load(Ordering::Relaxed) < n {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tx.send(true).unwrap();
        for h in handles {
            h.await.unwrap();
        }
        n
    })
}

/// The median and the 10th and 90th percentiles, in microseconds.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
}

pub fn spread_us(samples: &[Duration]) -> Spread {
    let mut us: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e6).collect();
    spread(&mut us)
}

pub fn spread(values: &mut [f64]) -> Spread {
    assert!(!values.is_empty());
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    Spread {
        median: at(0.5),
        p10: at(0.1),
        p90: at(0.9),
    }
}

/// Runs `alone` then `split`, back to back, `reps` times, so that both meet the machine in the
/// same state; checks that every run found `expected` primes. Returns the times of the runs
/// alone, the fastest split run, and the speedup: fastest alone / fastest split. (The fastest
/// run is the one least disturbed by whatever else the machine was doing.)
pub fn paired(
    reps: usize,
    expected: u64,
    mut alone: impl FnMut() -> u64,
    mut split: impl FnMut() -> u64,
) -> (Vec<f64>, f64, f64) {
    let timed = |job: &mut dyn FnMut() -> u64| {
        let start = Instant::now();
        let found = job();
        let took = start.elapsed().as_secs_f64();
        assert_eq!(found, expected, "a run found another count of primes");
        took
    };
    let (mut seq, mut par) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        seq.push(timed(&mut alone));
        par.push(timed(&mut split));
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let speedup = best(&seq) / best(&par);
    (seq, best(&par), speedup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_split_finds_the_same_primes() {
        let limit = 10_000;
        assert_eq!(sequential(limit), 1229); // there are 1229 primes below 10 000
        for w in 1..=5 {
            assert_eq!(with_threads(limit, w), 1229);
            assert_eq!(with_rayon(limit, w), 1229);
            assert_eq!((0..w).map(|i| count_share(limit, w, i)).sum::<u64>(), 1229);
        }
    }

    #[test]
    fn spread_takes_percentiles() {
        let mut v: Vec<f64> = (1..=11).map(f64::from).collect();
        let s = spread(&mut v);
        assert_eq!((s.p10, s.median, s.p90), (2.0, 6.0, 10.0));
    }
}
