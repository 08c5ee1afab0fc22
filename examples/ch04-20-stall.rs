use std::pin::pin;

use futures::{Stream, StreamExt, stream};
use tokio::time::{Duration, Instant, sleep};

/// Milliseconds of (paused) tokio time since `start`.
fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// Job 1 is one step of 10 ms; job 2 is three steps of 15 ms each.
/// Each step logs the time it really ran.
async fn job(id: u32, start: Instant) -> u32 {
    let (steps, each) = if id == 1 { (1, 10) } else { (3, 15) };
    for step in 1..=steps {
        sleep(Duration::from_millis(each)).await;
        println!("  job {id}: step {step} ran at {} ms", ms(start));
    }
    id
}

/// The same job, spawned: the runtime polls it, whoever awaits it.
async fn spawned(id: u32, start: Instant) -> u32 {
    tokio::spawn(job(id, start)).await.unwrap()
}

/// The loop under study: a slow body between two `next()` calls.
async fn consume(results: impl Stream<Item = u32>, start: Instant) {
    let mut results = pin!(results);
    while let Some(id) = results.next().await {
        println!("  main: got job {id} at {} ms, works 50 ms", ms(start));
        sleep(Duration::from_millis(50)).await; // the slow body
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true) // exact times: the clock jumps
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("futures inside buffer_unordered:");
        let start = Instant::now();
        let jobs = stream::iter([1, 2]).map(|id| job(id, start));
        consume(jobs.buffer_unordered(2), start).await;

        println!("spawned tasks inside buffer_unordered:");
        let start = Instant::now();
        let tasks = stream::iter([1, 2]).map(|id| spawned(id, start));
        consume(tasks.buffer_unordered(2), start).await;
    });
}
