use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const JOBS: u64 = 10_000;
const AT_ONCE: usize = 100;

/// One job: a pretend request that waits 1 ms for its answer.
async fn job(id: u64, running: &AtomicUsize, most: &AtomicUsize) -> u64 {
    let now = running.fetch_add(1, SeqCst) + 1;
    most.fetch_max(now, SeqCst);
    tokio::time::sleep(Duration::from_millis(1)).await;
    running.fetch_sub(1, SeqCst);
    id
}

#[tokio::main]
async fn main() {
    let places = Arc::new(Semaphore::new(AT_ONCE));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut tasks = JoinSet::new();
    let mut total = 0;
    let start = Instant::now();
    for id in 1..=JOBS {
        // Wait for a free place before spawning: never more than AT_ONCE jobs
        // in flight.
        let place = places.clone().acquire_owned().await.unwrap();
        let (running, most) = (running.clone(), most.clone());
        tasks.spawn(async move {
            let id = job(id, &running, &most).await;
            drop(place); // the place is free again for the next job
            id
        });
        // Collect what has finished meanwhile, so the set stays small too.
        while let Some(done) = tasks.try_join_next() {
            total += done.unwrap();
        }
    }
    while let Some(done) = tasks.join_next().await {
        total += done.unwrap();
    }
    println!("jobs done: {JOBS}, sum of their ids: {total}");
    println!("most jobs running at once: {}", most.load(SeqCst));
    println!("the bound: {AT_ONCE}");
    println!("took {} ms", start.elapsed().as_millis());
}
