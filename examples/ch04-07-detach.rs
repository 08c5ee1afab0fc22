use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::timeout;

type Done = mpsc::Sender<String>;

/// Waits until the gate opens, then reports that it reached its end.
async fn wait_at(mut gate: watch::Receiver<bool>, name: &str, done: Done) {
    gate.wait_for(|&open| open).await.expect("the gate stays");
    done.send(name.to_string()).await.unwrap();
}

#[tokio::main]
async fn main() {
    // Every task waits until `open.send(true)`.
    let (open, gate) = watch::channel(false);
    let (done, mut ended) = mpsc::channel(4);

    // 1. Dropping a JoinHandle does not stop its task: it is detached.
    let name = "dropped handle";
    let task = tokio::spawn(wait_at(gate.clone(), name, done.clone()));
    drop(task);

    // 2. A timeout around a JoinHandle ends the wait, then drops the
    //    handle: the same thing.
    let name = "timed-out wait";
    let task = tokio::spawn(wait_at(gate.clone(), name, done.clone()));
    let waited = timeout(Duration::from_millis(10), task).await;
    println!("timeout around a handle: {}", waited.unwrap_err());

    // 3. abort() cancels a task: a waiting one is dropped, not polled.
    let name = "aborted task";
    let task = tokio::spawn(wait_at(gate.clone(), name, done.clone()));
    task.abort();
    let error = task.await.unwrap_err();
    println!("aborted task: is_cancelled() = {}", error.is_cancelled());

    // 4. ...but it cannot stop a spawn_blocking closure that has started.
    let (started, has_started) = oneshot::channel();
    let reporter = done.clone();
    let blocking = tokio::task::spawn_blocking(move || {
        started.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(50)); // no .await here
        let name = "aborted spawn_blocking".to_string();
        reporter.blocking_send(name).unwrap();
    });
    has_started.await.unwrap();
    blocking.abort();
    println!("aborted spawn_blocking: {:?}", blocking.await);

    // Open the gate; `ended` closes once every task holding a `done` ends.
    open.send(true).unwrap();
    drop(done);
    while let Some(name) = ended.recv().await {
        println!("reached its end: {name}");
    }
}
