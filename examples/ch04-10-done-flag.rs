use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

async fn upload() -> &'static str {
    sleep(Duration::from_millis(5)).await;
    "uploaded"
}

/// Ticks every 2 ms, four in all, then hangs up.
fn ticks() -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for n in 1..=4 {
            sleep(Duration::from_millis(2)).await;
            let _ = tx.send(n).await;
        }
    });
    rx
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // Wrong: the loop goes on after `upload` has finished, and polls it
    // again on the next turn.
    let task = tokio::spawn(async {
        let mut job = std::pin::pin!(upload());
        let mut ticks = ticks();
        loop {
            tokio::select! {
                biased;
                done = &mut job => println!("wrong: {done}"),
                Some(n) = ticks.recv() => println!("wrong: tick {n}"),
                else => break,
            }
        }
    });
    let payload = task.await.unwrap_err().into_panic();
    let message = payload.downcast_ref::<&str>().unwrap();
    println!("wrong: panicked: {message}");

    // Right: a flag disables the branch once the job is done.
    let mut job = std::pin::pin!(upload());
    let (mut ticks, mut done) = (ticks(), false);
    loop {
        tokio::select! {
            biased;
            result = &mut job, if !done => {
                done = true;
                println!("right: {result}");
            }
            Some(n) = ticks.recv() => println!("right: tick {n}"),
            else => break,
        }
    }
    println!("right: the loop ended when both branches were disabled");
}
