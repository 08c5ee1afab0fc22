use std::time::Duration;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::{sleep, timeout};

/// A session that should end with an async goodbye (a message to a server,
/// say).
struct Session {
    id: u32,
    closed: bool,
    janitor: UnboundedSender<u32>,
}

impl Session {
    fn open(id: u32, janitor: UnboundedSender<u32>) -> Session {
        let closed = false;
        Session {
            id,
            closed,
            janitor,
        }
    }

    async fn close(mut self) {
        sleep(Duration::from_millis(10)).await; // the async goodbye
        self.closed = true;
        println!("session {}: closed with close().await", self.id);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.closed {
            // No .await here: Drop is synchronous. Hand the async part to a
            // task.
            println!(
                "session {}: dropped unclosed, sent to the janitor",
                self.id
            );
            // Sending on an unbounded channel never waits
            let _ = self.janitor.send(self.id);
        }
    }
}

async fn work_then_close(session: Session, ms: u64) {
    sleep(Duration::from_millis(ms)).await;
    session.close().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (tx, mut rx) = unbounded_channel();
    let janitor = tokio::spawn(async move {
        while let Some(id) = rx.recv().await {
            // The async goodbye, done late
            sleep(Duration::from_millis(10)).await;
            println!("janitor: closed session {id}");
        }
    });
    let (one, two) = (Session::open(1, tx.clone()), Session::open(2, tx));
    let quick =
        timeout(Duration::from_secs(1), work_then_close(one, 10)).await;
    println!("session 1 in time: {}", quick.is_ok());
    let slow =
        timeout(Duration::from_millis(100), work_then_close(two, 5_000))
            .await;
    // Cancelled: its future was dropped
    println!("session 2 in time: {}", slow.is_ok());
    // Ends when every Session, and so every sender, is gone
    janitor.await.unwrap();
}
