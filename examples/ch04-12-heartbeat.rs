use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A heartbeat task: a beat every 10 ms, for as long as it gets to run.
    let beats = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&beats);
    let heart = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(10)).await;
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    tokio::task::yield_now().await; // let the heartbeat start

    // 100 ms of blocking in main's task: the one thread is busy sleeping.
    let before = beats.load(Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(100));
    let during_block = beats.load(Ordering::Relaxed) - before;

    // 100 ms of awaiting: main's task steps aside, the heartbeat runs.
    let before = beats.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let during_await = beats.load(Ordering::Relaxed) - before;

    println!("beats while main blocked for 100 ms: {during_block}");
    println!("beats while main awaited for 100 ms: {during_await}");

    heart.abort(); // a task runs until it ends or is aborted
}
