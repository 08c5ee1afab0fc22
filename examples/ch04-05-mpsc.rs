use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

#[tokio::main]
async fn main() {
    // A bounded channel: a sender waits (asynchronously) when 8 messages
    // are queued.
    let (tx, mut rx) = mpsc::channel::<String>(8);

    for id in 1..=3 {
        let tx = tx.clone(); // each producer owns a sender
        tokio::spawn(async move {
            for n in 1..=2 {
                sleep(Duration::from_millis(10 * id)).await;
                tx.send(format!("producer {id}: message {n}"))
                    .await
                    .unwrap();
            }
            // `tx` is dropped here, when the task ends
        });
    }
    drop(tx); // the original sender: without this, the loop never ends

    let mut count = 0;
    // recv() gives None once every sender is gone and the queue is empty.
    while let Some(msg) = rx.recv().await {
        println!("{msg}");
        count += 1;
    }
    println!("all senders dropped; received {count} messages");
}
