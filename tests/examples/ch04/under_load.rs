//! Chapter 4, servers under load: a cap taken before `accept`, an idle timeout, load shedding;
//! and tracing spans across `tokio::spawn` (ch04-22).
use crate::common;

/// Every line is fixed, by construction, whatever the idle deadline (tried with 1 ms): the
/// three clients connect and send their line before the server runs, so each read of a hello
/// finds it waiting (`timeout` polls the read before its timer) and the server accepts 1 and 2
/// back to back, both counted at `accept` before either can be served and hung up on (at least
/// 2 at once; the semaphore makes it at most 2, since a place is freed after the count drops).
/// Client 3 is answered only once a place is free, so after the server hung up on client 1 or
/// 2; both are hung up on in the end, whichever goes first.
const CAP: &[&str] = &[
    "client 1 got echo: hello from client 1",
    "client 2 got echo: hello from client 2",
    "client 3 got echo: hello from client 3",
    "client 1 then got nothing: closed",
    "client 2 then got nothing: closed",
    "most connections held at once: 2",
];

#[test]
fn cap_before_accept_leaves_the_third_client_in_the_backlog_and_idle_ends_a_silent_one() {
    // Rejects: no cap (client 3 is accepted with 1 and 2: 3 at once); no idle timeout
    // (no place is ever freed: the run hangs until the harness's timeout); accepting first and
    // taking the place after (client 3 is accepted right after 2, before any place is freed:
    // 3 held at once, since `accept` counts; tried, Rust and Python).
    let run = common::run("ch04-19-cap", &[]).success();
    assert_eq!(run.lines(), CAP);
    assert_eq!(run.stderr, "");
}

#[test]
fn python_cap_before_accept() {
    let Some(run) = common::python("ch04-19-cap.py") else {
        return;
    };
    assert_eq!(run.success().lines(), CAP);
}

/// Fixed as well: client 2 connects while client 1 holds the only place (it has its
/// "welcome" and has not hung up); client 1 sees the end of its stream only after the server
/// dropped its permit, so client 3 finds the place free. The queue holds 2 jobs, no worker
/// takes any: the third is refused.
const SHED: &[&str] = &[
    "client 1 got welcome",
    "client 2 got busy, try later",
    "client 2 then got nothing: closed",
    "client 1 then got nothing: closed",
    "client 3 got welcome",
    "job 1: queued",
    "job 2: queued",
    "job 3: queue full",
];

#[test]
fn shedding_answers_busy_at_once_and_try_send_refuses_a_full_queue() {
    // Rejects: `acquire` instead of `try_acquire` (client 2 waits for a place that client 1
    // keeps: the run hangs); a server that queues client 2 (it never gets "busy").
    let run = common::run("ch04-19-shed", &[]).success();
    assert_eq!(run.lines(), SHED);
    assert_eq!(run.stderr, "");
}

#[test]
fn python_shedding() {
    let Some(run) = common::python("ch04-19-shed.py") else {
        return;
    };
    let run = run.success();
    assert_eq!(run.lines(), SHED);
    assert_eq!(run.stderr, "", "no task left to be cancelled");
}

/// One thread, and each spawned task is awaited before the next starts: every line is fixed.
const SPAWN_SPAN: &[&str] = &[
    " INFO request{id=7}: handling the request",
    " INFO spawned plainly",
    " INFO request{id=7}: spawned with the span",
    " INFO request{id=7}: spawned in_current_span",
    " INFO request{id=7}:save{name=\"a.txt\"}: saved bytes=3",
    "ERROR request{id=7}:save{name=\"b.txt\"}: error=b.txt is empty",
];

#[test]
fn spans_do_not_follow_spawn_unless_given_and_instrument_records_the_error() {
    // Rejects: `.in_current_span()` left out (a second line without the span); `skip(body)`
    // left out (`body=[1, 2, 3]` in the span); `err` left out (no ERROR line).
    let run = common::run("ch04-22-spawn-span", &[]).success();
    assert_eq!(run.lines(), SPAWN_SPAN);
}

#[test]
fn python_contextvars_follow_create_task_and_to_thread_not_run_in_executor() {
    let Some(run) = common::python("ch04-22-spawn-span.py") else {
        return;
    };
    // A build whose new threads start with a copy of their starter's context (free-threaded
    // 3.14 by default) gives the pool thread, started by to_thread inside the request, its id.
    let flag = "import sys; print(int(getattr(sys.flags, 'thread_inherit_context', 0)))";
    let inherits = std::process::Command::new("python3")
        .args(["-c", flag])
        .output()
        .expect("python3 ran a moment ago");
    let last = match String::from_utf8_lossy(&inherits.stdout).trim() {
        "1" => " INFO request{id=7}: run by run_in_executor",
        _ => " INFO run by run_in_executor",
    };
    assert_eq!(
        run.success().lines(),
        [
            " INFO request{id=7}: handling the request",
            " INFO request{id=7}: created with create_task",
            " INFO request{id=7}: run by to_thread",
            last,
        ]
    );
}
