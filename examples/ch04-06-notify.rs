use tokio::sync::Notify;
use tokio::time::{Duration, timeout};

/// Waits up to 10 ms for a wake-up, and says whether one came.
async fn woken(notify: &Notify) -> &'static str {
    let wait = timeout(Duration::from_millis(10), notify.notified());
    match wait.await {
        Ok(()) => "woken",
        Err(_) => "still waiting after 10 ms",
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let notify = Notify::new();

    // notify_one with nobody waiting stores a permit for the next
    // waiter, so a wake-up sent too early is not lost.
    notify.notify_one();
    println!("notify_one, then wait: {}", woken(&notify).await);
    // One permit at most: two calls still wake only one waiter.
    notify.notify_one();
    notify.notify_one();
    println!("notify_one x2, wait 1: {}", woken(&notify).await);
    println!("notify_one x2, wait 2: {}", woken(&notify).await);

    // notify_waiters wakes those registered now, and stores nothing.
    notify.notify_waiters();
    println!("notify_waiters, then wait: {}", woken(&notify).await);

    // It does wake every `Notified` future created before the call,
    // even one not polled yet.
    let first = notify.notified();
    let second = notify.notified();
    notify.notify_waiters();
    first.await;
    second.await;
    println!("notify_waiters woke both registered waiters");
}
