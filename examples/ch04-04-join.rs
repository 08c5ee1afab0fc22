use std::time::{Duration, Instant};

use tokio::time::sleep;

async fn fetch(name: &str, ms: u64) -> String {
    println!("  {name}: request sent");
    sleep(Duration::from_millis(ms)).await; // stands for a network call
    println!("  {name}: answer in");
    format!("{name} ({ms} ms)")
}

#[tokio::main]
async fn main() {
    // One after the other: the second wait starts when the first ends.
    println!("awaited in turn:");
    let start = Instant::now();
    let a = fetch("user", 100).await;
    let b = fetch("orders", 100).await;
    let in_turn = start.elapsed().as_millis();
    println!("  got {a}, {b}");

    // join! polls both futures inside this one task: the waits overlap.
    println!("tokio::join!:");
    let start = Instant::now();
    let (a, b) = tokio::join!(fetch("user", 100), fetch("orders", 100));
    let joined = start.elapsed().as_millis();
    println!("  got {a}, {b}");

    println!("in turn took {in_turn} ms");
    println!("join! took   {joined} ms");
}
