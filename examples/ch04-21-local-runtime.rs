use std::cell::Cell;
use std::rc::Rc;

// The "local" flavor builds a LocalRuntime (stable since tokio 1.51): a
// one-thread runtime on which tokio::task::spawn_local works without a
// LocalSet.
#[tokio::main(flavor = "local")]
async fn main() {
    let count = Rc::new(Cell::new(0));
    let mut handles = Vec::new();
    for _ in 0..1000 {
        let count = Rc::clone(&count);
        handles.push(tokio::task::spawn_local(async move {
            tokio::task::yield_now().await;
            count.set(count.get() + 1); // no atomic needed: one thread
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    println!("1000 local tasks counted to {}", count.get());
}
