use std::future::pending;
use tokio::time::{self, Duration, Instant};

type Answer = Result<u32, &'static str>;

/// The code under test: wait for a reply, give up 30 s after the call.
fn ask(reply: impl Future<Output = u32>) -> impl Future<Output = Answer> {
    let deadline = time::timeout(Duration::from_secs(30), reply);
    async { deadline.await.map_err(|_| "no reply within 30 s") }
}

fn main() {
    let wall = std::time::Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true) // tokio's clock stands still...
        .build()
        .unwrap();
    runtime.block_on(async {
        // ...until every task waits on a timer: then it jumps there.
        let start = Instant::now();
        let answer = ask(pending()).await;
        println!("auto-advance: {answer:?} after {:?}", start.elapsed());

        // Or move the clock by hand, and look in between.
        let start = Instant::now();
        let task = tokio::spawn(ask(pending()));
        time::advance(Duration::from_secs(29)).await;
        println!("after 29 s: finished? {}", task.is_finished());
        time::advance(Duration::from_secs(1)).await;
        let answer = task.await.unwrap();
        println!("after 30 s: {answer:?} at {:?}", start.elapsed());
    });
    let wall = wall.elapsed();
    let real = if wall < Duration::from_secs(1) {
        "under a second"
    } else {
        "a second or more"
    };
    println!("60 s of tokio time took {real} of real time");
}
