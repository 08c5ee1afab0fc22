use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::sleep;

/// An async function: calling it builds a future; awaiting it runs the body.
async fn square(n: u64) -> u64 {
    sleep(Duration::from_millis(10 * n)).await; // pretend to wait on I/O
    n * n
}

#[tokio::main] // starts a runtime, then runs `main`'s future on it
async fn main() {
    let mut handles: Vec<JoinHandle<u64>> = Vec::new();
    for n in 1..=4 {
        // Scheduled now: the runtime runs it whether or not we await it.
        handles.push(tokio::spawn(square(n)));
    }
    println!("spawned {} tasks", handles.len());

    let mut total = 0;
    for (n, handle) in (1..).zip(handles) {
        // Awaiting a JoinHandle gives the task's result (or an error).
        let result = handle.await.expect("the task did not panic");
        println!("{n} squared is {result}");
        total += result;
    }
    println!("total: {total}");
}
