use std::time::Duration;

use tokio::sync::oneshot;

#[tokio::main]
async fn main() {
    // An async task stops at its next .await when aborted.
    let task = tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(5)).await;
        println!("async task: finished"); // never printed
    });
    task.abort();
    let joined = task.await;
    println!(
        "async task aborted: is_cancelled() = {}",
        joined.unwrap_err().is_cancelled()
    );

    // A blocking closure has no .await to stop at: once it has started, abort() does nothing.
    let (started_tx, started) = oneshot::channel();
    let blocking = tokio::task::spawn_blocking(move || {
        started_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(100)); // a blocking call
        println!("blocking closure: finished anyway");
        42
    });
    started.await.unwrap(); // make sure it is running
    blocking.abort();
    let joined = blocking.await;
    println!("blocking task after abort(): {joined:?}");
}
