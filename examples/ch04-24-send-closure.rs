use std::sync::Arc;
use std::time::Duration;

use tokio::time::sleep;

/// Calls `work` once per id and spawns each call's future as a task.
/// The future's type is a parameter, `Fut`, so it can be required to be
/// `Send` and `'static`, which `tokio::spawn` needs.
async fn spawn_each<F, Fut>(ids: &[u32], work: F) -> Vec<String>
where
    F: Fn(u32) -> Fut,
    Fut: Future<Output = String> + Send + 'static,
{
    let mut tasks = Vec::new();
    for &id in ids {
        tasks.push(tokio::spawn(work(id)));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap()); // in the order of `ids`
    }
    answers
}

#[tokio::main]
async fn main() {
    // The classic form: a closure returning an `async move` block. Each
    // future needs its own handle on the shared prefix: clone, then move.
    let prefix: Arc<str> = Arc::from("page");
    let pages = spawn_each(&[3, 1, 2], |id| {
        let prefix = Arc::clone(&prefix);
        async move {
            sleep(Duration::from_millis(u64::from(id) * 10)).await;
            format!("{prefix} {id}")
        }
    })
    .await;
    println!("closure returning a future: {pages:?}");

    // An async closure fits the same bound when its future borrows
    // nothing from the closure: this one captures nothing.
    let doubled = spawn_each(&[4, 5], async |n| format!("{}", n * 2)).await;
    println!("async closure: {doubled:?}");
}
