use tokio::sync::broadcast::{self, error::RecvError};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Every receiver sees every value; the channel keeps the last 2.
    let (tx, mut fast) = broadcast::channel::<u32>(2);
    let mut slow = tx.subscribe(); // a second receiver

    for n in 1..=5 {
        tx.send(n).unwrap(); // Err only when no receiver is left
        // `fast` keeps up: it takes each value as soon as it is sent.
        println!("fast got {}", fast.recv().await.unwrap());
    }
    drop(tx); // the last sender: the channel closes, and `slow` sees
    // `Closed` once it has taken what is left

    // `slow` did not read while 5 values went by, and only 2 were
    // kept for it: it hears how many it missed, then carries on.
    loop {
        match slow.recv().await {
            Ok(n) => println!("slow got {n}"),
            Err(RecvError::Lagged(missed)) => {
                println!("slow lagged: {missed} values lost");
            }
            Err(RecvError::Closed) => break,
        }
    }
    println!("slow: closed");
}
