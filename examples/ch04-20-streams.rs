use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::interval;
use tokio_stream::wrappers::{IntervalStream, ReceiverStream};

#[tokio::main]
async fn main() {
    // A stream from a channel: each item is a message; it ends when every
    // sender is gone.
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        for word in ["one", "two", "three"] {
            tx.send(word).await.unwrap();
        }
    }); // the task ends, `tx` is dropped: the stream will end
    let mut words = ReceiverStream::new(rx);
    while let Some(word) = words.next().await {
        println!("from the channel: {word}");
    }

    // A stream from an interval: a tick every 20 ms, for ever; `take(3)` ends
    // it after three.
    let mut ticks =
        IntervalStream::new(interval(Duration::from_millis(20))).take(3);
    let (mut n, mut first) = (0, None);
    while let Some(tick) = ticks.next().await {
        n += 1;
        let first = *first.get_or_insert(tick); // the instant tick 1 was due
        let at = tick.duration_since(first).as_millis();
        println!("tick {n} at about {at} ms");
    }

    // Streams have adapters, like iterators: `map`, `filter`, `take`, and
    // `fold` to sum.
    let sum = futures::stream::iter(1..=10)
        .filter(|n| std::future::ready(n % 2 == 0))
        .map(|n| n * n)
        .fold(0, |sum, n| async move { sum + n })
        .await;
    println!("sum of the even squares up to 10: {sum}");
}
