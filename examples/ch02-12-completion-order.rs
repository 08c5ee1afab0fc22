use std::io;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::{env, thread};

// Three jobs, started in this order; the first is the biggest.
const SIZES: [u64; 3] = [60_000, 5_000, 20_000];

/// How many primes are below `n`: the work grows with `n`.
fn count_primes(n: u64) -> usize {
    let divisors = |k: u64| (2..).take_while(move |d| d * d <= k);
    (2..n)
        .filter(|&k| divisors(k).all(|d| !k.is_multiple_of(d)))
        .count()
}

fn start(n: u64) -> io::Result<Child> {
    Command::new(env::current_exe()?)
        .args(["worker", &n.to_string()])
        .stdout(Stdio::piped())
        .spawn()
}

/// Reads a worker's answer to its end, then reaps the worker; a worker
/// that failed is an error, not an empty answer.
fn answer(child: Child) -> io::Result<String> {
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!("worker {}", output.status)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn main() -> io::Result<()> {
    if let Some(n) = env::args().nth(2) {
        // The `worker N` role: the count, on stdout.
        println!("{}", count_primes(n.parse().expect("a number")));
        return Ok(());
    }
    println!("in start order, one wait after the other:");
    let children = SIZES.map(start); // all three run at the same time
    for (n, child) in SIZES.iter().zip(children) {
        println!("  primes below {n}: {}", answer(child?)?);
    }
    println!("as they complete, over one channel:");
    let (tx, rx) = mpsc::channel();
    for n in SIZES {
        let child = start(n)?;
        let tx = tx.clone();
        thread::spawn(move || tx.send((n, answer(child))));
    }
    drop(tx); // the loop below ends when every thread's `tx` is gone
    for (n, count) in rx {
        println!("  primes below {n}: {}", count?);
    }
    Ok(())
}
