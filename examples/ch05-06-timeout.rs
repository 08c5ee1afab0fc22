use std::sync::mpsc;
use std::sync::mpsc::RecvTimeoutError::{Disconnected, Timeout};
use std::thread;
use std::time::Duration;

fn within<T: Send + 'static>(
    bound: Duration,
    body: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = mpsc::channel();
    // Not joined: a body that hangs must not make us hang too.
    thread::spawn(move || {
        let _ = tx.send(body());
    });
    match rx.recv_timeout(bound) {
        Ok(answer) => Ok(answer),
        Err(Timeout) => Err(format!("still running after {bound:?}")),
        // The body's thread ended without sending: it panicked.
        Err(Disconnected) => Err("panicked".into()),
    }
}

fn main() {
    let quick = within(Duration::from_secs(10), || 6 * 7);
    println!("a body that answers: {quick:?}");

    // A body that waits for a message nobody sends (we keep the sender).
    let (_keep, never) = mpsc::channel::<()>();
    let stuck = within(Duration::from_millis(200), move || never.recv());
    println!("a body that hangs:   {stuck:?}");

    let boom = within(Duration::from_secs(10), || -> u32 {
        panic!("a failing assertion")
    });
    println!("a body that panics:  {boom:?}");
    // The stuck thread still waits; returning from main ends it.
}
