use std::cell::RefCell;
use std::time::Duration;

use futures::future::join_all;
use tokio::time::{Instant, sleep};

/// The names of the requests, in the order they finish.
type Log = RefCell<Vec<&'static str>>;

/// A pretend request: waits `ms`, then notes in `finished` that it is done.
async fn fetch(name: &'static str, ms: u64, finished: &Log) -> String {
    sleep(Duration::from_millis(ms)).await;
    finished.borrow_mut().push(name);
    format!("{name} ({ms} ms)")
}

// The paused clock: every figure below is exact.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // Any number of them: `join_all` takes an iterator of futures.
    let pages = [("home", 30), ("about", 10), ("blog", 20), ("faq", 5)];
    // A local that the futures borrow: no Arc, no Mutex, no 'static.
    let finished = RefCell::new(Vec::new());
    let start = Instant::now();

    let requests = pages.iter().map(|&(name, ms)| fetch(name, ms, &finished));
    let results = join_all(requests).await;

    println!("finished in this order: {:?}", finished.borrow());
    println!("join_all returned them in the order asked:");
    for result in &results {
        println!("  {result}");
    }
    let ms = start.elapsed().as_millis();
    println!("all {} in {ms} ms, the time of the slowest", results.len());
}
