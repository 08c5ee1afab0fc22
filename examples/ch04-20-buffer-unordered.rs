use std::time::Duration;

use futures::StreamExt;
use futures::stream;
use tokio::time::{Instant, sleep};

/// A pretend request: waits longer for some ids than others, then answers.
async fn fetch(id: u64) -> String {
    sleep(Duration::from_millis(20 + (id * 37) % 60)).await;
    format!("page {id}")
}

// The clock is paused: while every future waits, it jumps to the next timer.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    // Twenty requests, at most four in flight: a new one starts as soon as
    // one finishes.
    let mut pages = stream::iter(1..=20).map(fetch).buffer_unordered(4);
    let mut arrived = Vec::new();
    while let Some(page) = pages.next().await {
        arrived.push(page);
    }
    let elapsed = start.elapsed().as_millis();
    println!(
        "{} pages arrived, first three: {:?}",
        arrived.len(),
        &arrived[..3]
    );
    arrived.sort_by_key(|p| p[5..].parse::<u64>().unwrap());
    println!(
        "every page once: {}",
        arrived
            .iter()
            .enumerate()
            .all(|(i, p)| *p == format!("page {}", i + 1))
    );
    // One at a time would take the sum of the waits; four at a time about
    // a quarter of it.
    let total: u64 = (1..=20).map(|id| 20 + (id * 37) % 60).sum();
    println!("one at a time would take {total} ms; this took {elapsed} ms");
}
