use std::sync::{Mutex, TryLockError};

/// Is the lock taken right now? (Asks without waiting.)
fn held<T>(lock: &Mutex<T>) -> &'static str {
    match lock.try_lock() {
        Err(TryLockError::WouldBlock) => "held",
        _ => "free",
    }
}

fn main() {
    let jobs = Mutex::new(vec![1, 2, 3, 4, 5]);

    // A `let` statement: the guard is dropped at its semicolon.
    let job = jobs.lock().unwrap().pop();
    println!("after a let: {job:?}, lock {}", held(&jobs));

    // A match: the guard lives until the end of the whole match.
    match jobs.lock().unwrap().pop() {
        Some(job) => {
            println!("in a match arm: job {job}, lock {}", held(&jobs));
        }
        None => println!("in a match arm: no job, lock {}", held(&jobs)),
    }

    // if let: the guard lives through the then-block...
    if let Some(job) = jobs.lock().unwrap().pop() {
        println!("in an if let block: job {job}, lock {}", held(&jobs));
    }

    // while let: the guard lives through each turn of the loop's body.
    while let Some(job) = jobs.lock().unwrap().pop() {
        println!("in a while let body: job {job}, lock {}", held(&jobs));
    }

    // if let, no job left: since edition 2024, the guard is dropped
    // before the else block runs.
    if let Some(job) = jobs.lock().unwrap().pop() {
        println!("in an if let block: job {job}, lock {}", held(&jobs));
    } else {
        println!("in an if let's else: lock {}", held(&jobs));
    }
}
