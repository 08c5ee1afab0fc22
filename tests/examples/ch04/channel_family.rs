//! Chapter 4: the channel family (broadcast, Notify, Handle::current) and the cancel safety of
//! senders (`send` in a losing `select!` branch, and `reserve`).
use crate::common;

#[test]
fn broadcast_a_slow_receiver_hears_how_many_it_missed() {
    // One thread, and each step awaits the one before: the whole output is fixed. With room
    // for 2, five sends leave the slow receiver the last two, and `Lagged(3)` first.
    let run = common::run("ch04-06-broadcast", &[]).success();
    let mut expected: Vec<String> = (1..=5).map(|n| format!("fast got {n}")).collect();
    expected.extend(
        [
            "slow lagged: 3 values lost",
            "slow got 4",
            "slow got 5",
            "slow: closed",
        ]
        .map(String::from),
    );
    assert_eq!(run.lines(), expected);
}

#[test]
fn notify_one_stores_one_permit_and_notify_waiters_none() {
    // Nobody else ever notifies, so each 10 ms wait that gets no permit must time out.
    let run = common::run("ch04-06-notify", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "notify_one, then wait: woken",
            "notify_one x2, wait 1: woken",
            "notify_one x2, wait 2: still waiting after 10 ms",
            "notify_waiters, then wait: still waiting after 10 ms",
            "notify_waiters woke both registered waiters",
        ]
    );
}

#[test]
fn python_event_stays_set_and_condition_stores_nothing() {
    let Some(run) = common::python("ch04-06-notify.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "event.set, then wait: woken",
            "event.set, wait again: woken",
            "notify_all, then wait: still waiting after 10 ms",
            "notify_all woke both waiting tasks",
        ]
    );
}

const NO_RUNTIME: &str =
    "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

#[test]
fn handle_current_works_in_the_runtime_and_panics_outside() {
    // Every step joins the one before (block_on, thread join): the order is fixed.
    let run = common::run("ch04-06-handle", &[]).success();
    assert_eq!(
        run.lines(),
        [
            format!("before the runtime: {NO_RUNTIME}").as_str(),
            "from a task: audited the books",
            "own thread, in a runtime context? false",
            "own thread: block_on(spawned task) = 42",
            "own thread, Handle::current(): panicked? true",
        ]
    );
    // The panic is the one the page quotes, raised in the listing's own thread.
    assert!(
        run.stderr
            .contains("panicked at examples/ch04-06-handle.rs"),
        "{run:#?}"
    );
    assert!(run.stderr.contains(NO_RUNTIME), "{run:#?}");
}

#[test]
fn python_get_running_loop_and_run_coroutine_threadsafe() {
    let Some(run) = common::python("ch04-06-handle.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "before the loop: no running event loop",
            "from a task: audited the books",
            "own thread, in a running loop? False",
            "own thread: result of the submitted coroutine = 'audited 42'",
        ]
    );
}

#[test]
fn a_send_that_loses_select_drops_its_message_and_reserve_keeps_it() {
    // The channel is full and nobody receives while the select! waits, so the send cannot
    // win: the timer always does. "second" must be gone; "fourth" must arrive.
    let run = common::run("ch04-09-lost-send", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "timer won; the send future was dropped",
            "receiver has: [\"first\"]",
            "timer won; still holding \"fourth\"",
            "receiver takes Some(\"third\")",
            "receiver has: [\"fourth\"]",
        ]
    );
}

#[test]
fn python_a_cancelled_put_loses_nothing() {
    let Some(run) = common::python("ch04-09-lost-send.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "timer won; the put was cancelled",
            "queue has: ['first']; still holding 'second'",
            "timer won; still holding 'fourth'",
            "queue gives 'third'",
            "queue has: ['fourth']",
        ]
    );
}
