//! Chapter 9: testing and debugging concurrent code. The listings' own tests, and the kind of
//! tests the chapter teaches: a rendezvous instead of a sleep, CPU hogs beside a test that must
//! still pass, tokio's paused clock.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crate::common;

const FLAKY: &[&str] = &[
    "workers on time, wait then check: held, saw {1, 2, 3}",
    "workers late, sleep then look: FAILED, saw 0 of 3",
    "workers late, wait then check: held, saw {1, 2, 3}",
];

/// Keeps every CPU busy (two spinning threads per CPU) until the value is dropped, so a test
/// runs beside CPU hogs; the hogs end either way.
struct Hogs {
    stop: Arc<AtomicBool>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Hogs {
    fn start() -> Hogs {
        let cpus = thread::available_parallelism().map_or(2, |n| n.get());
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..2 * cpus)
            .map(|_| {
                let stop = stop.clone();
                thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::hint::spin_loop();
                    }
                })
            })
            .collect();
        Hogs { stop, threads }
    }
}

impl Drop for Hogs {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for hog in self.threads.drain(..) {
            let _ = hog.join();
        }
    }
}

#[test]
fn flaky_listing_prints_only_what_is_guaranteed() {
    // The late workers are held back by a barrier, not by luck: every line is fixed.
    let run = common::run("ch09-01-flaky", &[]).success();
    assert_eq!(run.lines(), FLAKY);
}

#[test]
fn flaky_listing_prints_the_same_beside_cpu_hogs() {
    let _hogs = Hogs::start();
    for _ in 0..3 {
        let run = common::run("ch09-01-flaky", &[]).success();
        assert_eq!(run.lines(), FLAKY);
    }
}

#[test]
fn flaky_python_twin_prints_the_same() {
    let Some(run) = common::python("ch09-01-flaky.py") else {
        return;
    };
    assert_eq!(run.success().lines(), FLAKY);
}

/// The chapter's advice as a real test: three threads, each sends its number; the test waits
/// for three messages (a rendezvous, however late they come) and checks the set, beside hogs.
#[test]
fn a_rendezvous_check_holds_beside_cpu_hogs() {
    let _hogs = Hogs::start();
    for _ in 0..20 {
        let (tx, rx) = std::sync::mpsc::channel();
        let handles: Vec<_> = (1..=3u32)
            .map(|n| {
                let tx = tx.clone();
                thread::spawn(move || tx.send(n).unwrap())
            })
            .collect();
        let got: std::collections::BTreeSet<u32> = rx.iter().take(3).collect();
        handles.into_iter().for_each(|h| h.join().unwrap());
        assert_eq!(got, [1, 2, 3].into());
    }
}
