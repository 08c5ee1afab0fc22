use std::time::Duration;

use tokio::time::sleep;

/// Prints when it is dropped, so we can see when a future goes away.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("{}: dropped", self.0);
    }
}

async fn work(name: &'static str, ms: u64) -> &'static str {
    let _guard = Noisy(name); // lives as long as this future's body
    println!("{name}: started");
    sleep(Duration::from_millis(ms)).await;
    println!("{name}: finished"); // the loser never gets here
    name
}

#[tokio::main]
async fn main() {
    let winner = tokio::select! {
        biased; // poll the branches in the order written (default: random)
        w = work("fast", 50) => w,
        w = work("slow", 500) => w,
    };
    println!("select! returned: {winner} won");
}
