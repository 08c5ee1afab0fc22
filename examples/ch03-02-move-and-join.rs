use std::thread::{self, JoinHandle};

fn main() {
    let numbers: Vec<u64> = (1..=10).collect();
    let label = String::from("sum of squares");

    // `move` hands `numbers` and `label` to the thread: it owns them now.
    // The closure's return value becomes the thread's result.
    let worker: JoinHandle<u64> = thread::spawn(move || {
        let total = numbers.iter().map(|n| n * n).sum();
        println!("worker: computed the {label} of {} numbers", numbers.len());
        total
    });

    // join() waits for the thread, then gives back what the closure returned.
    let total = worker.join().unwrap();
    println!("main: the worker returned {total}");

    // One thread per argument; each returns a result through its handle.
    let handles: Vec<JoinHandle<(u64, u64)>> = (2..=5)
        .map(|n| thread::spawn(move || (n, n * n * n)))
        .collect();
    for handle in handles {
        let (n, cube) = handle.join().unwrap();
        println!("main: cube of {n} is {cube}");
    }
}
