use tokio::sync::mpsc;
use tokio::time::{Duration, sleep};

/// Everything the receiver can take right now, without waiting.
fn drain(rx: &mut mpsc::Receiver<String>) -> Vec<String> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Room for one message, and nobody receives while a select! waits:
    // a send that has to wait can only lose to the timer.
    let (tx, mut rx) = mpsc::channel::<String>(1);

    // 1. send(v) in a branch that loses: v goes down with the future.
    tx.send("first".to_string()).await.unwrap(); // now full
    let second = "second".to_string();
    tokio::select! {
        _ = tx.send(second) => println!("sent second"),
        _ = sleep(Duration::from_millis(10)) => {
            println!("timer won; the send future was dropped");
        }
    }
    // `second` was moved into the dropped future: no way to retry.
    println!("receiver has: {:?}", drain(&mut rx));

    // 2. reserve() in the branch, send on the permit after.
    tx.send("third".to_string()).await.unwrap(); // full again
    let fourth = "fourth".to_string();
    loop {
        tokio::select! {
            permit = tx.reserve() => {
                // The permit holds a slot: this cannot fail or wait.
                permit.unwrap().send(fourth);
                break;
            }
            _ = sleep(Duration::from_millis(10)) => {
                println!("timer won; still holding {fourth:?}");
                println!("receiver takes {:?}", rx.recv().await);
            }
        }
    }
    println!("receiver has: {:?}", drain(&mut rx));
}
