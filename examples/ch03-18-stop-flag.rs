use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

fn main() {
    let stop = AtomicBool::new(false); // main -> worker: please stop
    let first = AtomicUsize::new(0); // worker -> main: a first answer...
    let first_ready = AtomicBool::new(false); // ...and its flag

    thread::scope(|s| {
        let worker = s.spawn(|| {
            let count = (2..10_000).filter(|&n| is_prime(n)).count();
            first.store(count, Ordering::Relaxed);
            // Release: who sees `true` with Acquire sees the store above.
            first_ready.store(true, Ordering::Release);

            // Then keep going, one number at a time, until asked to stop.
            let (mut n, mut more) = (10_000, 0);
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                more += usize::from(is_prime(n));
            }
            (n, more) // handed back by join
        });

        // Acquire: having seen `true`, main sees the count stored before.
        while !first_ready.load(Ordering::Acquire) {
            thread::sleep(Duration::from_millis(1));
        }
        let count = first.load(Ordering::Relaxed);
        println!("first answer: {count} primes below 10000");

        thread::sleep(Duration::from_millis(20));
        stop.store(true, Ordering::Relaxed); // a request, not a kill
        let (last, more) = worker.join().unwrap();
        println!("worker stopped at {last}, having found {more} more primes");
    });
}
