use std::time::{Duration, Instant};

use tokio::time::sleep;

async fn step(name: &str, ms: u64, fails: bool) -> Result<String, String> {
    sleep(Duration::from_millis(ms)).await;
    if fails {
        return Err(format!("{name} failed after {ms} ms"));
    }
    println!("{name} finished"); // only if this future runs to the end
    Ok(name.to_string())
}

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let all = tokio::try_join!(
        biased; // poll in the order written: `check` first, every time
        step("check", 20, true),
        step("download", 300, false),
        step("unpack", 300, false),
    );
    match all {
        Ok((a, b, c)) => println!("all done: {a}, {b}, {c}"),
        Err(e) => println!("try_join! gave up: {e}"),
    }
    // The two slow steps were dropped unfinished: no "finished" line.
    let ms = start.elapsed().as_millis();
    println!("returned after {ms} ms, not 300");
}
