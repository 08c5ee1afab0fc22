use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::time::sleep;

/// Sends a message every millisecond, 60 in all (at least 60 ms), then
/// hangs up.
fn chatty_sender() -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        for n in 1..=60 {
            sleep(Duration::from_millis(1)).await;
            if tx.send(n).await.is_err() {
                return; // the receiver is gone
            }
        }
    });
    rx
}

#[tokio::main]
async fn main() {
    // Wrong: a new 50 ms sleep on every turn. Each message restarts it.
    let mut rx = chatty_sender();
    let (start, mut received) = (Instant::now(), 0);
    loop {
        tokio::select! {
            _ = sleep(Duration::from_millis(50)) => break, // never wins here
            msg = rx.recv() => match msg {
                Some(_) => received += 1,
                None => break, // the sender hung up
            },
        }
    }
    let ms = start.elapsed().as_millis();
    let how = "a fresh sleep each turn";
    println!("{how}: {received} messages, stopped after {ms} ms");

    // Right: one deadline, created once, pinned, polled through `&mut`.
    let (start, mut received) = (Instant::now(), 0);
    let deadline = sleep(Duration::from_millis(50));
    tokio::pin!(deadline); // or: let mut deadline = std::pin::pin!(deadline);
    // Started after the deadline: 60 messages cannot beat it.
    let mut rx = chatty_sender();
    loop {
        tokio::select! {
            _ = &mut deadline => break, // the same timer every turn
            msg = rx.recv() => match msg {
                Some(_) => received += 1,
                None => break,
            },
        }
    }
    let ms = start.elapsed().as_millis();
    let how = "one pinned deadline";
    println!("{how}: {received} messages, stopped after {ms} ms");
}
