use std::time::Duration;

use tokio::time::sleep;

/// Calls `f` on each item in turn, awaiting each call before the next.
async fn for_each_async(items: &[u32], mut f: impl AsyncFnMut(u32)) {
    for &item in items {
        f(item).await;
    }
}

#[tokio::main]
async fn main() {
    let mut log = Vec::new();

    // An async closure (Rust 1.85): its future may borrow what the closure
    // captured, here `log`, mutably, once per call.
    for_each_async(&[1, 2, 3], async |n| {
        sleep(Duration::from_millis(10)).await; // pretend to fetch something
        log.push(n * 10);
    })
    .await;

    println!("log: {log:?}");
}
