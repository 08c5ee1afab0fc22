//! Chapter 4 in depth: how long a task lives, Pin in a select! loop, cancellation safety,
//! tasks that are not Send, and where the language is now.
use crate::common;

/// The number after `prefix` in the line that starts with it, up to the next space.
fn number_after(line: &str, prefix: &str) -> u64 {
    let rest = line
        .split_once(prefix)
        .unwrap_or_else(|| panic!("no {prefix:?} in {line:?}"))
        .1;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

fn check_task_group(run: &common::Run, allowed: &[&str], last: &[&str]) {
    let lines = run.lines();
    // The last lines come in this order because main waits for each step.
    assert!(lines.ends_with(last), "{run:#?}");
    // The slow step never finishes: it is aborted (cancelled) after the failure.
    assert!(!run.stdout.contains("slow: finished"), "{run:#?}");
    // The quick step normally finishes first, but under load it may be aborted too.
    for line in &lines[..lines.len() - last.len()] {
        assert!(allowed.contains(line), "unexpected {line:?} in {run:#?}");
    }
}

#[test]
fn a_dropped_join_set_aborts_its_tasks() {
    let run = common::run("ch04-07-task-group", &[]).success();
    check_task_group(
        &run,
        &["quick: finished", "joined quick"],
        &[
            "error: flaky failed; dropping the set",
            "every task is gone; main returns",
        ],
    );
}

#[test]
fn python_task_group_cancels_the_others() {
    let Some(run) = common::python("ch04-07-task-group.py") else {
        return;
    };
    check_task_group(
        &run.success(),
        &["quick: finished", "quick: cancelled", "slow: cancelled"],
        &[
            "TaskGroup raised: ['flaky failed']",
            "every task is gone; main returns",
        ],
    );
}

#[test]
fn python_detach_and_cancel() {
    let Some(run) = common::python("ch04-07-detach.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(
        lines[..3],
        [
            "asyncio.wait with a timeout: 1 task still pending",
            "cancelled task: task.cancelled() = True",
            "cancelled to_thread: waiter.cancelled() = True",
        ],
        "{run:#?}"
    );
    // Every task but the cancelled one reaches its end, in an order that may vary; the
    // thread runs on although the task waiting for it was cancelled.
    common::assert_same_lines(
        &lines[3..],
        &[
            "reached its end: unawaited task",
            "reached its end: timed-out wait",
            "reached its end: cancelled to_thread",
        ],
    );
}

/// Checks one run of the deadline listing or its twin against what it guarantees; returns
/// whether the first loop saw all 60 messages.
fn check_deadline(run: &common::Run, fresh: &str, pinned: &str) -> bool {
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{run:#?}");
    // A fresh 50 ms timer each turn fires only after 50 ms without a message. While a message
    // comes every millisecond or so it never does, and the loop ends when the sender hangs up,
    // after all 60 messages (at least 60 ms). A machine that stalls the program for 50 ms can
    // make it fire earlier (the page says so): then it stopped on a silence of 50 ms.
    assert!(lines[0].starts_with(&format!("{fresh}: ")), "{run:#?}");
    let received = number_after(lines[0], ": ");
    let ms = number_after(lines[0], "stopped after ");
    assert!(received <= 60, "{run:#?}");
    let at_least = if received == 60 { 60 } else { 50 };
    assert!(ms >= at_least, "{run:#?}");
    // One deadline ends the loop at 50 ms, before the sender can have sent all 60.
    assert!(lines[1].starts_with(&format!("{pinned}: ")), "{run:#?}");
    let received_by_deadline = number_after(lines[1], ": ");
    let ms = number_after(lines[1], "stopped after ");
    assert!(received_by_deadline < 60, "{run:#?}");
    assert!(ms >= 50, "{run:#?}");
    received == 60
}

/// Runs the deadline listing (or its twin) until its first loop sees all 60 messages, at most
/// five times: a stall can cut that loop short on one run (the test suite itself loads the
/// machine), but a loop whose timer fires while messages keep coming would do it on every run.
fn check_deadline_runs(mut run: impl FnMut() -> common::Run, fresh: &str, pinned: &str) {
    for _ in 0..5 {
        if check_deadline(&run().success(), fresh, pinned) {
            return;
        }
    }
    panic!("{fresh}: in 5 runs, the loop never let all 60 messages through");
}

#[test]
fn one_pinned_deadline_outlives_the_loop_turns() {
    check_deadline_runs(
        || common::run("ch04-08-pin-deadline", &[]),
        "a fresh sleep each turn",
        "one pinned deadline",
    );
}

#[test]
fn python_one_timeout_around_the_loop() {
    let Some(first) = common::python("ch04-08-pin-deadline.py") else {
        return;
    };
    let mut first = Some(first);
    check_deadline_runs(
        || {
            first
                .take()
                .unwrap_or_else(|| common::python("ch04-08-pin-deadline.py").unwrap())
        },
        "a fresh timeout each turn",
        "one deadline for the loop",
    );
}

#[test]
fn read_line_in_select_loses_half_lines_and_next_line_does_not() {
    // The writer waits until each tick is handled, and `biased;` polls the reader first:
    // the loss is the same on every run. Several runs catch a listing without `biased;`: its
    // `select!` picks a random first branch on each poll, keeps a half line whenever the tick
    // wins before `read_line` has taken it, and printed the page's line in 1 run out of 21.
    for _ in 0..5 {
        let run = common::run("ch04-09-lost-lines", &[]).success();
        assert_eq!(
            run.lines(),
            [
                r#"read_line, restarted each turn: ["pha", "avo", "arlie"]"#,
                r#"next_line, cancel safe:        ["alpha", "bravo", "charlie"]"#,
            ],
            "{run:#?}"
        );
    }
}

#[test]
fn local_set_runs_tasks_that_share_an_rc() {
    let run = common::run("ch04-21-local-set", &[]).success();
    assert_eq!(
        run.lines(),
        [
            r#"visited: ["Lagos", "Lima", "Lyon"]"#,
            "tasks ran on one thread, sharing an Rc<RefCell<Vec<_>>>: no Arc, no Mutex",
        ]
    );
}

#[test]
fn local_runtime_spawns_local_tasks() {
    let run = common::run("ch04-21-local-runtime", &[]).success();
    assert_eq!(run.lines(), ["1000 local tasks counted to 1000"]);
}

#[test]
fn async_closure_borrows_its_capture_each_call() {
    // Each call is awaited before the next, so the order is fixed.
    let run = common::run("ch04-24-async-closure", &[]).success();
    assert_eq!(run.lines(), ["log: [10, 20, 30]"]);
}

#[test]
fn a_send_future_from_a_trait_can_be_spawned() {
    let run = common::run("ch04-24-trait-send", &[]).success();
    assert_eq!(
        run.lines(),
        [r#"fetched in parallel tasks: ["item 1", "item 2", "item 3"]"#]
    );
}

#[test]
fn drop_hands_async_cleanup_to_a_task() {
    // current_thread: the janitor runs only while main waits at an .await, so the order is fixed.
    let run = common::run("ch04-24-no-async-drop", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "session 1: closed with close().await",
            "session 1 in time: true",
            "session 2: dropped unclosed, sent to the janitor",
            "session 2 in time: false",
            "janitor: closed session 2",
        ]
    );
}

#[test]
fn python_finally_awaits_cleanup_in_place() {
    let Some(run) = common::python("ch04-24-no-async-drop.py") else {
        return;
    };
    // wait_for waits for the cancelled coroutine's finally block before it raises.
    assert_eq!(
        run.success().lines(),
        [
            "session 1: closed with await close()",
            "session 1 in time: True",
            "session 2: closed with await close()",
            "session 2 in time: False",
        ]
    );
}

#[test]
fn python_own_readline_loses_half_lines_and_stream_reader_does_not() {
    let Some(run) = common::python("ch04-09-lost-lines.py") else {
        return;
    };
    // The reader is fed by main itself, and the timeout fires only once the read waits for
    // data that main has not fed yet: the same on every run.
    assert_eq!(
        run.success().lines(),
        [
            "own_readline, cancelled and called again: ['pha', 'avo', 'arlie']",
            "StreamReader.readline, likewise:          ['alpha', 'bravo', 'charlie']",
        ]
    );
}

#[test]
fn python_tasks_share_a_plain_list() {
    let Some(run) = common::python("ch04-21-local-set.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "visited: ['Lagos', 'Lima', 'Lyon']",
            "tasks ran on one thread, sharing a plain list: no lock",
        ]
    );
}
