use std::time::{Duration, Instant};

use tokio::time::sleep;

async fn fetch(name: &str, ms: u64) -> String {
    sleep(Duration::from_millis(ms)).await; // stands for a network call
    format!("{name} ({ms} ms)")
}

#[tokio::main]
async fn main() {
    // One after the other: the second wait starts when the first ends.
    let start = Instant::now();
    let a = fetch("user", 100).await;
    let b = fetch("orders", 100).await;
    let one_by_one = start.elapsed();
    println!("awaited in turn: {a}, {b}");

    // join! polls both futures inside this one task: the waits overlap.
    let start = Instant::now();
    let (a, b) = tokio::join!(fetch("user", 100), fetch("orders", 100));
    let together = start.elapsed();
    println!("tokio::join!:    {a}, {b}");

    println!("in turn took {} ms", one_by_one.as_millis());
    println!("join! took   {} ms", together.as_millis());
}
