//! The pages on hangs and leaks (chapter 5): each listing's guaranteed lines, and the Python
//! twins' watchdog (faulthandler) and marked-process sweep.
use crate::common;

#[test]
fn timeout_helper_reports_each_kind_of_body() {
    let run = common::run("ch05-06-timeout", &[]).success();
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
fn timeout_python_twin_reports_each_kind_of_body() {
    let Some(run) = common::python("ch05-06-timeout.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "a body that answers: Ok(42)",
            "a body that hangs:   Err(still running after 0.2 s)",
            "a body that panics:  Err(panicked)",
        ]
    );
}

#[test]
fn deadlock_watchdog_names_both_threads_of_the_cycle() {
    // The barrier makes the cycle certain; the watchdog sorts what it prints.
    let run = common::run("ch05-06-deadlock", &[]).success();
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
    let Some(run) = common::python("ch05-06-deadlock.py") else {
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

#[cfg(target_os = "linux")]
const MARKED: &[&str] = &[
    "a tidy run left: 0",
    "a leaky run left: 1 (killed)",
    "marked processes now: 0",
];

/// The listing finds its leaked `sleep` by its mark and kills it; `common::run` then proves,
/// with the harness's own mark (which the `sleep` inherited too), that nothing is left.
#[cfg(target_os = "linux")]
#[test]
fn marked_sweep_finds_and_kills_the_leaked_sleep() {
    let run = common::run("ch05-07-marked", &[]).success();
    assert_eq!(run.lines(), MARKED);
}

#[cfg(target_os = "linux")]
#[test]
fn marked_python_twin_finds_and_kills_the_leaked_sleep() {
    let Some(run) = common::python("ch05-07-marked.py") else {
        return;
    };
    assert_eq!(run.success().lines(), MARKED);
}

const TASKS: &[&str] = &[
    "tidy: 0 tracked left, 0 alive in the runtime",
    "tidy: ok",
    "leaky: 0 tracked left, 1 alive in the runtime",
    "leaky: outlived the shutdown",
];

/// After `close` and `wait`, no tracked task is left, and on a `current_thread` runtime the
/// count of live tasks is exact: the detached `tokio::spawn` is the one task left.
#[test]
fn task_accounting_catches_the_detached_spawn() {
    let run = common::run("ch05-07-tasks", &[]).success();
    assert_eq!(run.lines(), TASKS);
}

#[test]
fn task_accounting_python_twin_catches_the_detached_task() {
    let Some(run) = common::python("ch05-07-tasks.py") else {
        return;
    };
    assert_eq!(run.success().lines(), TASKS);
}
