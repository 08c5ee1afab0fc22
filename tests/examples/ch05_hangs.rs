//! The pages on hangs and leaks (chapter 5): each listing's guaranteed lines, and the Python
//! twins' watchdog (faulthandler) and marked-process sweep.
use crate::common;

#[test]
fn timeout_helper_reports_each_kind_of_body() {
    let run = common::run("ch05-60-timeout", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "a body that answers: Ok(42)",
            "a body that hangs:   Err(\"still running after 200ms\")",
            "a body that panics:  Err(\"panicked\")",
        ]
    );
}

#[test]
fn deadlock_watchdog_names_both_threads_of_the_cycle() {
    // The barrier makes the cycle certain; the watchdog sorts what it prints.
    let run = common::run("ch05-60-deadlock", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "watchdog: lock cycles found: 1",
            "watchdog: threads in the cycle: 2",
            "  worker-1: holds A, waits for B",
            "  worker-2: holds B, waits for A",
            "watchdog: they can never be joined, so: exit(0)",
        ]
    );
}

#[test]
fn deadlock_python_twin_is_dumped_and_ended_by_faulthandler() {
    let Some(run) = common::python("ch05-60-deadlock.py") else {
        return;
    };
    // exit=True ends the process with exit code 1, after the dump.
    assert_eq!(run.status.code(), Some(1), "{run:#?}");
    assert_eq!(run.lines(), ["main: joining the workers"], "{run:#?}");
    let dump: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(dump.first(), Some(&"Timeout (0:00:01)!"), "{run:#?}");
    // One block per thread: the two workers and the main thread (the
    // watchdog is a C thread, not a Python one).
    let threads = dump
        .iter()
        .filter(|l| l.starts_with("Thread 0x") || l.starts_with("Current thread 0x"))
        .count();
    assert_eq!(threads, 3, "{run:#?}");
}
