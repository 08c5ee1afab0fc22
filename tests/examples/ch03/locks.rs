//! Chapter 3's locks and waiting: thread::Builder (ch03-02), Condvar, park and Barrier
//! (ch03-09), deadlocks and re-entrancy (ch03-11), guard scope and poisoning (ch03-12).

use crate::common;
// ---- ch03-02: Builder ----

fn check_builder(lines: &[&str]) {
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].contains("'parser'") || lines[0].contains("\"parser\""),
        "{lines:?}"
    );
    assert!(lines[0].ends_with(" starts"), "{lines:?}");
    assert!(lines[1].starts_with("main: the parser "), "{lines:?}");
    assert!(
        lines[2].starts_with("main: no thread with a 1 PiB stack: "),
        "{lines:?}"
    );
    assert!(lines[3].starts_with("main (") && lines[3].ends_with(") carries on"));
}

#[test]
fn builder_names_the_thread_and_returns_the_os_error() {
    let run = common::run("ch03-02-builder", &[]).success();
    let lines = run.lines();
    check_builder(&lines);
    assert_eq!(lines[0], "Some(\"parser\") starts");
    assert_eq!(lines[1], "main: the parser panicked: true");
    assert_eq!(lines[3], "main (Some(\"main\")) carries on");
    // The panic message names the thread.
    assert!(run.stderr.contains("thread 'parser'"), "{run:#?}");
}

#[test]
fn builder_python() {
    if let Some(run) = common::python("ch03-02-builder.py") {
        let run = run.success();
        check_builder(&run.lines());
        assert!(
            run.stderr.contains("Exception in thread parser"),
            "{run:#?}"
        );
    }
}

// ---- ch03-11: deadlock ----

fn check_deadlock(lines: &[&str]) {
    assert_eq!(lines.len(), 3, "{lines:?}");
    // Both threads print before the barrier that main waits on: both lines come first.
    common::assert_same_lines(
        &lines[..2],
        &[
            "alice -> bob: holds its first lock, wants the second",
            "bob -> alice: holds its first lock, wants the second",
        ],
    );
    assert_eq!(lines[2], "main: no transfer finished: deadlock");
}

#[test]
fn deadlock_is_detected_and_the_program_ends() {
    let run = common::run("ch03-11-deadlock", &[]).success();
    check_deadlock(&run.lines());
}

#[test]
fn deadlock_python() {
    if let Some(run) = common::python("ch03-11-deadlock.py") {
        check_deadlock(&run.success().lines());
    }
}

/// Both directions at once end, and so does a transfer from an account to
/// itself (without the `from == to` check it locks one Mutex twice and hangs,
/// which `common::run`'s timeout turns into a failure).
fn check_lock_order(lines: &[&str]) {
    assert_eq!(
        lines,
        [
            "20000 transfers in opposite directions, no deadlock",
            "a transfer from alice to alice returned",
            "alice: 100, bob: 100, total: 200",
        ]
    );
}

#[test]
fn lock_order_finishes_and_keeps_the_total() {
    let run = common::run("ch03-11-lock-order", &[]).success();
    check_lock_order(&run.lines());
}

#[test]
fn lock_order_python() {
    if let Some(run) = common::python("ch03-11-lock-order.py") {
        check_lock_order(&run.success().lines());
    }
}

#[test]
fn a_mutex_is_not_reentrant() {
    let run = common::run("ch03-11-reentrant", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "second lock, same thread: WouldBlock",
            "after push_pair: [\"first\", \"second\"]",
        ]
    );
}

#[test]
fn reentrant_python() {
    if let Some(run) = common::python("ch03-11-reentrant.py") {
        assert_eq!(
            run.success().lines(),
            [
                "Lock, second acquire on the same thread: False",
                "RLock, after push_pair: ['first', 'second']",
            ]
        );
    }
}

// ---- ch03-12: guards and poisoning ----

#[test]
fn guard_scope_follows_the_edition_2024_rules() {
    let run = common::run("ch03-12-guard-scope", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "after a let: Some(5), lock free",
            "in a match arm: job 4, lock held",
            "in an if let block: job 3, lock held",
            "in a while let body: job 2, lock held",
            "in a while let body: job 1, lock held",
            "in an if let's else: lock free",
        ]
    );
}

#[test]
fn poison_is_reported_and_recovered() {
    let run = common::run("ch03-12-poison", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "the transfer thread panicked: true",
            "the mutex is poisoned: true",
            "lock() returned Err; inside: alice 50, total 150",
            "after the repair: alice 50, bob 150",
        ]
    );
    assert!(
        run.stderr.contains("crashed in the middle of a transfer"),
        "{run:#?}"
    );
}

#[test]
fn poison_python() {
    if let Some(run) = common::python("ch03-12-poison.py") {
        let run = run.success();
        assert_eq!(
            run.lines(),
            [
                "the transfer thread is alive: False",
                "lock acquired as usual; inside: alice 50, total 150",
            ]
        );
        assert!(
            run.stderr.contains("crashed in the middle of a transfer"),
            "{run:#?}"
        );
    }
}

// ---- ch03-09: waiting ----

fn check_condvar(lines: &[&str]) {
    let mut expected: Vec<String> = (1..=5u64)
        .map(|n| format!("{n} squared is {}", n * n))
        .collect();
    expected.push("queue closed, both workers gone".into());
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    common::assert_same_lines(lines, &expected);
    // The scope joins both workers before main's last line.
    assert_eq!(lines.last(), Some(&"queue closed, both workers gone"));
}

#[test]
fn condvar_workers_take_every_job_once() {
    let run = common::run("ch03-09-condvar", &[]).success();
    check_condvar(&run.lines());
}

#[test]
fn condvar_python() {
    if let Some(run) = common::python("ch03-09-condvar.py") {
        check_condvar(&run.success().lines());
    }
}

#[test]
fn park_token_and_flag() {
    let run = common::run("ch03-09-park", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "main: park() returned at once, the token was waiting",
            "waiter: the flag is set, on with the work",
            "main: the waiter saw the flag and ended",
        ]
    );
}

fn check_barrier(lines: &[&str]) {
    let phase1 = [
        "part 0: my sum is 6",
        "part 1: my sum is 15",
        "part 2: my sum is 24",
    ];
    let phase2 = [
        "part 0: 6 of 45 is 13%",
        "part 1: 15 of 45 is 33%",
        "part 2: 24 of 45 is 53%",
    ];
    let leader = "(one thread, the leader: all parts summed)";
    let mut expected = phase1.to_vec();
    expected.extend(phase2);
    expected.push(leader);
    common::assert_same_lines(lines, &expected);
    // The barrier: every phase-1 line comes before every later line.
    common::assert_same_lines(&lines[..3], &phase1);
}

#[test]
fn barrier_separates_the_phases() {
    let run = common::run("ch03-09-barrier", &[]).success();
    check_barrier(&run.lines());
}

#[test]
fn barrier_python() {
    if let Some(run) = common::python("ch03-09-barrier.py") {
        check_barrier(&run.success().lines());
    }
}
