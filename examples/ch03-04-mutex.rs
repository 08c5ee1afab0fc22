use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // Arc: owners in several threads. Mutex: one thread inside at a time.
    let counter = Arc::new(Mutex::new(0u64));
    let finished = Arc::new(Mutex::new(Vec::new()));

    let mut handles = Vec::new();
    for id in 0..8 {
        // Each thread gets its own handle to the same two values.
        let counter = Arc::clone(&counter);
        let finished = Arc::clone(&finished);
        handles.push(thread::spawn(move || {
            for _ in 0..1000 {
                // lock() waits for the lock; dropping the guard unlocks.
                *counter.lock().unwrap() += 1;
            }
            finished.lock().unwrap().push(id);
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }

    println!("counter = {}", counter.lock().unwrap());
    let finished = finished.lock().unwrap();
    let count = finished.len();
    println!("{count} threads finished, in this order: {finished:?}");
}
