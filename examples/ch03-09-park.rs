use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

fn main() {
    // Each thread has one wake-up token. unpark() leaves it; park() takes it,
    // or sleeps until it comes. A token left before park() is not lost:
    thread::current().unpark();
    thread::park(); // takes the token and returns at once
    println!("main: park() returned at once, the token was waiting");

    let ready = AtomicBool::new(false);
    thread::scope(|s| {
        let waiter = s.spawn(|| {
            // park() may return for no reason: check the flag each time.
            while !ready.load(Ordering::Acquire) {
                thread::park();
            }
            println!("waiter: the flag is set, on with the work");
        });

        // The waiter is probably parked by now (or not: either is fine).
        thread::sleep(Duration::from_millis(20));
        ready.store(true, Ordering::Release);
        // Wake it, or leave the token if it is not parked yet.
        waiter.thread().unpark();
    });
    println!("main: the waiter saw the flag and ended");
}
