use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

/// An async method, written out as what `async fn` stands for, plus `+ Send`:
/// every implementation must return a future that can move between threads.
trait Fetch {
    fn fetch(&self, id: u32) -> impl Future<Output = String> + Send;
}

struct Catalogue;

impl Fetch for Catalogue {
    // An implementation may still write `async fn`; the compiler checks it is
    // Send.
    async fn fetch(&self, id: u32) -> String {
        tokio::time::sleep(Duration::from_millis(10)).await;
        format!("item {id}")
    }
}

/// Generic code can spawn the futures of any `Fetch`: the trait promised
/// `Send`.
async fn fetch_all<F: Fetch + Send + Sync + 'static>(
    source: Arc<F>,
) -> Vec<String> {
    let mut set = JoinSet::new();
    for id in 1..=3 {
        let source = Arc::clone(&source);
        set.spawn(async move { source.fetch(id).await });
    }
    let mut items = set.join_all().await; // in the order the tasks finished
    items.sort();
    items
}

#[tokio::main]
async fn main() {
    let items = fetch_all(Arc::new(Catalogue)).await;
    println!("fetched in parallel tasks: {items:?}");
}
