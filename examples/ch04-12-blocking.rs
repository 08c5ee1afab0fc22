use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use tokio::task::spawn_blocking;
use tokio::time::sleep;

const WAIT: Duration = Duration::from_millis(100);
static WAITING: AtomicUsize = AtomicUsize::new(0); // tasks in their wait
static MOST: AtomicUsize = AtomicUsize::new(0); // the most at one time
static ON_MAIN: AtomicUsize = AtomicUsize::new(0); // waits that blocked main

/// Blocks the calling thread for `WAIT`, and counts the wait if that
/// thread is main's: here, the one thread that polls every task.
fn block() {
    if std::thread::current().name() == Some("main") {
        ON_MAIN.fetch_add(1, Relaxed);
    }
    std::thread::sleep(WAIT);
}

/// Runs three tasks that wait with `wait`; returns the time taken, the
/// most tasks that were waiting at the same time, and how many waits
/// blocked main's thread.
async fn three_tasks<F, Fut>(wait: F) -> (u128, usize, usize)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    MOST.store(0, Relaxed);
    ON_MAIN.store(0, Relaxed);
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..3 {
        let wait = wait();
        handles.push(tokio::spawn(async move {
            MOST.fetch_max(WAITING.fetch_add(1, Relaxed) + 1, Relaxed);
            wait.await;
            WAITING.fetch_sub(1, Relaxed);
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let ms = start.elapsed().as_millis();
    (ms, MOST.load(Relaxed), ON_MAIN.load(Relaxed))
}

/// Wrong: std::thread::sleep blocks the thread, and every task on it.
async fn blocking() {
    block();
}

/// Right: tokio's sleep returns Pending and frees the thread meanwhile.
async fn sleeping() {
    sleep(WAIT).await;
}

/// Also right, for code that must block (or compute): it runs on tokio's
/// pool of blocking threads, and the task awaits its result.
async fn offloaded() {
    spawn_blocking(block).await.unwrap();
}

// One thread runs every task: the setting where a blocked task hurts most.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let results = [
        ("std::thread::sleep", three_tasks(blocking).await),
        ("tokio::time::sleep", three_tasks(sleeping).await),
        ("spawn_blocking", three_tasks(offloaded).await),
    ];
    println!("each of 3 tasks waits {} ms", WAIT.as_millis());
    for (how, (ms, most, on_main)) in results {
        println!(
            "{how:<18} {ms:>4} ms, at most {most} waiting at once, \
             main's thread blocked {on_main} times"
        );
    }
}
