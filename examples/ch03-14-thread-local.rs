use std::cell::{Cell, RefCell};
use std::thread;

thread_local! {
    // Every thread has its own CALLS and its own SEEN, created on its
    // first use there.
    static CALLS: Cell<u32> = const { Cell::new(0) };
    static SEEN: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn record(n: u32) {
    // No lock: no other thread can reach this thread's copies.
    CALLS.set(CALLS.get() + 1);
    SEEN.with_borrow_mut(|seen| seen.push(n));
}

fn main() {
    record(0);

    let handles: Vec<_> = (1..=3)
        .map(|id| {
            thread::spawn(move || {
                for step in 1..=id {
                    record(id * 10 + step);
                }
                // Hand the values back before the thread-locals are dropped.
                (id, CALLS.get(), SEEN.take())
            })
        })
        .collect();

    for handle in handles {
        let (id, calls, seen) = handle.join().unwrap();
        println!("thread {id}: calls = {calls}, seen = {seen:?}");
    }
    let calls = CALLS.get();
    let seen = SEEN.take();
    println!("main:     calls = {calls}, seen = {seen:?}");
}
