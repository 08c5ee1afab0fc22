use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn collatz_steps(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

fn main() {
    let (job_tx, job_rx) = mpsc::channel::<u64>();
    let (result_tx, result_rx) = mpsc::channel();
    // One receiver for all the workers: each job goes to exactly one of them.
    let job_rx = Arc::new(Mutex::new(job_rx));

    let workers: Vec<_> = (0..3)
        .map(|_| {
            let job_rx = Arc::clone(&job_rx);
            let result_tx = result_tx.clone();
            thread::spawn(move || {
                let mut done = 0;
                loop {
                    // The guard is a temporary of this statement: the lock
                    // is free again before the work starts, so the other
                    // workers can take jobs meanwhile.
                    let job = job_rx.lock().unwrap().recv();
                    // Err: the channel is closed and empty. Time to go.
                    let Ok(n) = job else { break };
                    result_tx.send((n, collatz_steps(n))).unwrap();
                    done += 1;
                }
                done
            })
        })
        .collect();
    drop(result_tx); // the workers hold the only senders of results now

    for n in [27, 97, 871, 6171, 77031, 837799] {
        job_tx.send(n).unwrap();
    }
    // Close the job channel: the workers finish what is queued, then leave.
    drop(job_tx);

    // This loop ends when the last worker has dropped its result sender.
    let mut results: Vec<(u64, u32)> = result_rx.iter().collect();
    results.sort();
    for (n, steps) in results {
        println!("{n:>6} takes {steps} steps");
    }
    let mut done = Vec::new();
    for worker in workers {
        done.push(worker.join().unwrap());
    }
    let total: u32 = done.iter().sum();
    println!("jobs per worker: {done:?}, {total} in all");
}
