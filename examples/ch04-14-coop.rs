use futures::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

const MESSAGES: usize = 1000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A tokio channel: each ready recv() spends one unit of budget.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    (0..MESSAGES).for_each(|n| tx.send(n).unwrap());
    let n = drain(async || rx.recv().await.is_some()).await;
    println!("tokio mpsc:       the other task ran after {n}");

    // A futures channel knows nothing of tokio's budget.
    let (tx, mut rx) = futures::channel::mpsc::unbounded();
    (0..MESSAGES).for_each(|n| tx.unbounded_send(n).unwrap());
    let n = drain(async || rx.next().await.is_some()).await;
    println!("futures mpsc:     the other task ran after {n}");

    // The same channel, with one unit of budget spent per message.
    let (tx, mut rx) = futures::channel::mpsc::unbounded();
    (0..MESSAGES).for_each(|n| tx.unbounded_send(n).unwrap());
    let n = drain(async || {
        tokio::task::coop::consume_budget().await;
        rx.next().await.is_some()
    })
    .await;
    println!("futures + budget: the other task ran after {n}");
}

/// Receives every message (`recv` says whether one came) beside
/// another task; returns how many came before that task first ran.
async fn drain(mut recv: impl AsyncFnMut() -> bool) -> String {
    tokio::task::yield_now().await; // a new poll: a fresh budget
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let other = tokio::spawn(async move { flag.store(true, Relaxed) });
    let (mut received, mut before) = (0, None);
    while recv().await {
        received += 1;
        if before.is_none() && ran.load(Relaxed) {
            before = Some(received - 1);
        }
        if received == MESSAGES {
            break; // the senders are still alive: stop at the last one
        }
    }
    other.await.unwrap();
    match before {
        Some(n) => format!("{n} messages"),
        None => format!("all {received}: never during the loop"),
    }
}
