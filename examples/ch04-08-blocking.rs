use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_millis(100);

/// Runs three tasks made by `make`, waits for all of them, returns the time taken.
async fn three_tasks<F, Fut>(make: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let start = Instant::now();
    let handles: Vec<_> = (0..3).map(|_| tokio::spawn(make())).collect();
    for handle in handles {
        handle.await.unwrap();
    }
    start.elapsed()
}

// One thread runs every task: the setting where a blocked task hurts most.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Wrong: std::thread::sleep blocks the only thread; no other task can run.
    let blocking = three_tasks(|| async { std::thread::sleep(WAIT) }).await;

    // Right: tokio's sleep returns Pending and lets the thread run other tasks.
    let sleeping = three_tasks(|| async { tokio::time::sleep(WAIT).await }).await;

    // Also right, for code that must block (or compute): move it to tokio's
    // pool of blocking threads and await its result.
    let offloaded = three_tasks(|| async {
        tokio::task::spawn_blocking(|| std::thread::sleep(WAIT))
            .await
            .unwrap()
    })
    .await;

    println!("each of 3 tasks waits {} ms", WAIT.as_millis());
    println!("std::thread::sleep:  {:>4} ms", blocking.as_millis());
    println!("tokio::time::sleep:  {:>4} ms", sleeping.as_millis());
    println!("spawn_blocking:      {:>4} ms", offloaded.as_millis());
}
