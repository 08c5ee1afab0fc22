use std::sync::{Barrier, Condvar, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let result: Mutex<Option<u64>> = Mutex::new(None);
    let changed = Condvar::new();
    let go = Barrier::new(2); // main and the worker meet there

    thread::scope(|s| {
        s.spawn(|| {
            go.wait(); // starts only when main says so
            let sum = (1..=10u64).map(|n| n * n).sum();
            *result.lock().unwrap() = Some(sum);
            changed.notify_one();
        });

        // Wait at most 50 ms for the result: it cannot come, the worker
        // has not started, so this wait ends with its timeout.
        let limit = Duration::from_millis(50);
        let guard = result.lock().unwrap();
        let (guard, waited) = changed
            .wait_timeout_while(guard, limit, |r| r.is_none())
            .unwrap();
        println!("main: timed out = {}", waited.timed_out());
        drop(guard);

        go.wait(); // let the worker go
        let mut guard = result.lock().unwrap();
        loop {
            let waited;
            (guard, waited) = changed
                .wait_timeout_while(guard, limit, |r| r.is_none())
                .unwrap();
            if !waited.timed_out() {
                break; // the closure said stop: the result is there
            }
            println!("main: still waiting, something else meanwhile");
        }
        println!("main: the result is {}", guard.unwrap());
    });
}
