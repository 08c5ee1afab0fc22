use std::time::Duration;

use tokio::runtime::Handle;
use tokio::time::sleep;
use tokio_util::task::TaskTracker;

async fn handle(request: u32, leak: bool) {
    if leak && request == 2 {
        // A "background flush" spawned on the runtime, not the tracker:
        // nothing waits for it, and nothing will ever end it.
        tokio::spawn(async { sleep(Duration::from_secs(3600)).await });
    }
    sleep(Duration::from_millis(10 * u64::from(request))).await;
}

async fn serve(leak: bool) {
    let tracker = TaskTracker::new();
    for request in 1..=3 {
        tracker.spawn(handle(request, leak));
    }
    // Shutdown: no new handlers, then wait for the running ones.
    tracker.close();
    tracker.wait().await;
    let alive = Handle::current().metrics().num_alive_tasks();
    let left = tracker.len();
    let name = if leak { "leaky" } else { "tidy" };
    let verdict = if alive > left {
        "outlived the shutdown"
    } else {
        "ok"
    };
    println!("{name}: {left} tracked left, {alive} alive in the runtime");
    println!("{name}: {verdict}");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    serve(false).await;
    serve(true).await;
    // The leaked task dies with the runtime, when main returns.
}
