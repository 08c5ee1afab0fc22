use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, sleep};

const IDLE: Duration = Duration::from_millis(50);

/// A client that sends at 10, 30 and 70 ms, then goes quiet for 200 ms.
fn client() -> mpsc::Receiver<&'static str> {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for (wait, line) in [(10, "hello"), (20, "ping"), (40, "ping")] {
            sleep(Duration::from_millis(wait)).await;
            tx.send(line).await.unwrap();
        }
        sleep(Duration::from_millis(200)).await;
        let _ = tx.send("too late").await; // the server is gone by now
    });
    rx
}

// Paused time: the clock jumps to the next timer, so every figure is exact.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let ms = || start.elapsed().as_millis();
    let mut rx = client();
    // One timer for the whole connection, moved forward on each message.
    let idle = sleep(IDLE);
    tokio::pin!(idle);
    // A chore of the server's own at 100 ms: it turns the loop too.
    let chore = sleep(Duration::from_millis(100));
    tokio::pin!(chore);
    let mut chore_done = false;
    loop {
        tokio::select! {
            Some(line) = rx.recv() => {
                println!("{:>3} ms: got {line:?}", ms());
                idle.as_mut().reset(Instant::now() + IDLE);
            }
            () = &mut chore, if !chore_done => {
                chore_done = true;
                println!("{:>3} ms: the server's chore", ms());
            }
            () = &mut idle => {
                println!("{:>3} ms: idle for {IDLE:?}: closing", ms());
                break;
            }
        }
    }
}
