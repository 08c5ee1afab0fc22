use std::thread;
use std::time::Instant;

const ROUNDS: u32 = 200;

fn main() {
    // Start a thread that does nothing, wait for it, and again: the fixed
    // cost of a thread.
    let start = Instant::now();
    for _ in 0..ROUNDS {
        thread::spawn(|| {}).join().unwrap();
    }
    let each = start.elapsed() / ROUNDS;
    println!("spawn + join, average of {ROUNDS}: {} us", each.as_micros());
}
