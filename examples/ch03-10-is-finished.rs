use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

fn main() {
    let go = Arc::new(Barrier::new(2));
    let worker_go = Arc::clone(&go);
    let main_thread = thread::current(); // for the worker to unpark

    let worker = thread::spawn(move || {
        worker_go.wait(); // starts only when main says so
        let sum: u64 = (1..=10u64).map(|n| n * n).sum();
        main_thread.unpark(); // "nearly done, look again"
        sum
    });

    // It cannot have finished: it waits for main at the barrier.
    println!("before go: finished = {}", worker.is_finished());
    go.wait();

    // Poll without blocking for good: each park_timeout returns on an
    // unpark, once 10 ms have passed, or for no reason at all.
    let mut looks = 1;
    while !worker.is_finished() {
        thread::park_timeout(Duration::from_millis(10));
        looks += 1;
    }
    println!("after go: finished after {looks} look(s) (varies)");
    // is_finished() was true: join() returns quickly.
    println!("joined: the worker returned {}", worker.join().unwrap());
}
