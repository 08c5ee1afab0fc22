use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// A counting semaphore: `n` permits, a Mutex for the count and a
/// Condvar to wait on while there is none left.
struct Permits {
    free: Mutex<usize>,
    returned: Condvar,
}

/// One permit, given back when it is dropped.
struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(n: usize) -> Self {
        Permits {
            free: Mutex::new(n),
            returned: Condvar::new(),
        }
    }

    fn acquire(&self) -> Permit<'_> {
        let free = self.free.lock().unwrap();
        let mut free = self.returned.wait_while(free, |n| *n == 0).unwrap();
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap() += 1;
        self.0.returned.notify_one();
    }
}

fn main() {
    let permits = Permits::new(2);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));

    thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                let _permit = permits.acquire(); // waits for a free one
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10)); // the work
                inside.fetch_sub(1, Ordering::SeqCst);
            }); // _permit dropped here: the next thread may go in
        }
    });
    println!("6 jobs done, 2 permits");
    println!("at most {} inside at once", most.into_inner());
}
