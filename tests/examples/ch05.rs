//! The chapter on testing and debugging concurrent code. The listings' own tests, and the kind of
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
    let run = common::run("ch05-01-flaky", &[]).success();
    assert_eq!(run.lines(), FLAKY);
}

#[test]
fn flaky_listing_prints_the_same_beside_cpu_hogs() {
    let _hogs = Hogs::start();
    for _ in 0..3 {
        let run = common::run("ch05-01-flaky", &[]).success();
        assert_eq!(run.lines(), FLAKY);
    }
}

#[test]
fn flaky_python_twin_prints_the_same() {
    let Some(run) = common::python("ch05-01-flaky.py") else {
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

#[test]
fn paused_listing_moves_tokio_time_not_real_time() {
    // The times are tokio's paused clock: exact, on every machine. The real time is printed
    // only as "under a second" (not checked here: a busy machine may take longer).
    let run = common::run("ch05-03-paused", &[]).success();
    let lines = run.lines();
    assert_eq!(
        lines[..3],
        [
            "auto-advance: Err(\"no reply within 30 s\") after 30s",
            "after 29 s: finished? false",
            "after 30 s: Err(\"no reply within 30 s\") at 30s",
        ]
    );
    assert_eq!(lines.len(), 4, "{run:#?}");
    assert!(lines[3].starts_with("60 s of tokio time took "), "{run:#?}");
}

#[test]
fn paused_python_twin_moves_its_loop_time() {
    let Some(run) = common::python("ch05-03-paused.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(
        lines[..3],
        [
            "auto-advance: no reply within 30 s after 30s",
            "after 29 s: finished? False",
            "after 30 s: no reply within 30 s at 30s",
        ]
    );
    assert_eq!(lines.len(), 4, "{run:#?}");
    assert!(lines[3].starts_with("60 s of loop time took "), "{run:#?}");
}

/// Real paused-time tests, as the chapter shows them: a 30 s deadline, checked in tokio time.
mod paused {
    use std::future::pending;
    use tokio::time::{self, Duration, Instant};

    #[tokio::test(start_paused = true)]
    async fn a_30_s_timeout_fires_at_30_s_of_tokio_time() {
        let start = Instant::now();
        let answer = time::timeout(Duration::from_secs(30), pending::<()>()).await;
        assert!(answer.is_err(), "the timeout must fire");
        assert_eq!(start.elapsed(), Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn a_30_s_timeout_has_not_fired_at_29_s() {
        let deadline = tokio::spawn(time::timeout(Duration::from_secs(30), pending::<()>()));
        time::advance(Duration::from_secs(29)).await;
        assert!(!deadline.is_finished(), "fired before its 30 s");
        time::advance(Duration::from_secs(1)).await;
        assert!(deadline.await.unwrap().is_err(), "no timeout at 30 s");
    }

    #[tokio::test(start_paused = true)]
    async fn a_reply_before_the_deadline_wins() {
        let reply = async {
            time::sleep(Duration::from_secs(29)).await;
            7
        };
        let start = Instant::now();
        let answer = time::timeout(Duration::from_secs(30), reply).await;
        assert_eq!(answer.ok(), Some(7));
        assert_eq!(start.elapsed(), Duration::from_secs(29));
    }
}

#[test]
fn loom_finds_the_relaxed_flag_and_passes_release_acquire() {
    // Loom explores the same interleavings in the same order on every run: the counts are
    // fixed (for the loom version Cargo.lock pins), and so is what it found.
    let run = common::run("ch05-04-loom", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "Relaxed: failed at interleaving 3: Causality violation: \
             Concurrent read and write accesses.",
            "Release/Acquire: passed, 6 interleavings",
        ]
    );
    assert_eq!(run.stderr, "", "the listing silences the panic it catches");
}
