use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::sync::atomic::AtomicBool;
use loom::sync::atomic::Ordering::{self, Acquire, Relaxed, Release};
use loom::thread;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// A worker writes its result, then raises `done`. Whoever sees
/// `done` reads the result: the flag must publish the data.
struct Handoff {
    result: UnsafeCell<u64>,
    done: AtomicBool,
}

/// Runs the model; returns how many interleavings loom ran, and the
/// first line of what it found (if anything).
fn check(store: Ordering, load: Ordering) -> (usize, Option<String>) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    RUNS.store(0, SeqCst);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        loom::model(move || {
            RUNS.fetch_add(1, SeqCst); // once per interleaving
            let handoff = Arc::new(Handoff {
                result: UnsafeCell::new(0),
                done: AtomicBool::new(false),
            });
            let worker = handoff.clone();
            let t = thread::spawn(move || {
                worker.result.with_mut(|r| unsafe { *r = 42 });
                worker.done.store(true, store);
            });
            if handoff.done.load(load) {
                let r = handoff.result.with(|r| unsafe { *r });
                assert_eq!(r, 42);
            }
            t.join().unwrap();
        });
    }));
    let found = outcome.err().map(|payload| {
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        text.lines().next().unwrap_or_default().to_string()
    });
    (RUNS.load(SeqCst), found)
}

fn main() {
    panic::set_hook(Box::new(|_| {})); // we print what loom found
    for (name, store, load) in [
        ("Relaxed", Relaxed, Relaxed),
        ("Release/Acquire", Release, Acquire),
    ] {
        match check(store, load) {
            (runs, None) => println!("{name}: passed, {runs} interleavings"),
            (runs, Some(bug)) => {
                println!("{name}: failed at interleaving {runs}: {bug}")
            }
        }
    }
}
