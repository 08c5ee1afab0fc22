use std::time::Duration;

use tokio::time::{sleep, timeout};

async fn answer(after_ms: u64) -> u32 {
    sleep(Duration::from_millis(after_ms)).await;
    42
}

#[tokio::main]
async fn main() {
    let limit = Duration::from_millis(100);

    // Finishes in time: we get Ok(value).
    match timeout(limit, answer(10)).await {
        Ok(v) => println!("quick answer: {v}"),
        Err(_) => println!("quick answer: timed out"),
    }

    // Too slow: the future is dropped at the deadline: Err(Elapsed).
    match timeout(limit, answer(1000)).await {
        Ok(v) => println!("slow answer: {v}"),
        Err(elapsed) => println!("slow answer: {elapsed}"),
    }
}
