use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::thread;

struct Jobs {
    queue: VecDeque<u64>,
    closed: bool,
}

fn main() {
    let jobs = Mutex::new(Jobs {
        queue: VecDeque::new(),
        closed: false,
    });
    let changed = Condvar::new(); // "the queue or the closed flag changed"

    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let mut state = jobs.lock().unwrap();
                    // Wait in a loop: a wake-up may be spurious, or another
                    // worker may have taken the job first.
                    while state.queue.is_empty() && !state.closed {
                        // Unlocks while it sleeps, locks again to return.
                        state = changed.wait(state).unwrap();
                    }
                    let Some(n) = state.queue.pop_front() else {
                        return; // closed, and nothing left to do
                    };
                    drop(state); // work without holding the lock
                    println!("{n} squared is {}", n * n);
                }
            });
        }

        for n in 1..=5 {
            jobs.lock().unwrap().queue.push_back(n);
            changed.notify_one(); // wake one waiting worker, if any
        }
        jobs.lock().unwrap().closed = true;
        changed.notify_all(); // wake them all: every one must see `closed`
    });
    println!("queue closed, both workers gone");
}
