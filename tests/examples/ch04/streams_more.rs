//! Chapter 4 in depth: the `buffer_unordered` stall and its fix; spawning what a closure returns.
use crate::common;

#[test]
fn buffer_unordered_stalls_while_the_body_awaits_but_tasks_do_not() {
    // Tokio's clock is paused, so every time is exact whatever the load, and one thread
    // runs everything: the whole output is fixed.
    let run = common::run("ch04-14-stall", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "futures inside buffer_unordered:",
            "  job 1: step 1 ran at 10 ms",
            "  main: got job 1 at 10 ms, works 50 ms",
            // Job 2's timer was due at 15 ms, but nothing polls it until the body ends.
            "  job 2: step 1 ran at 60 ms",
            "  job 2: step 2 ran at 75 ms",
            "  job 2: step 3 ran at 90 ms",
            "  main: got job 2 at 90 ms, works 50 ms",
            "spawned tasks inside buffer_unordered:",
            "  job 1: step 1 ran at 10 ms",
            "  main: got job 1 at 10 ms, works 50 ms",
            // A task is polled by the runtime: its steps keep their times.
            "  job 2: step 1 ran at 15 ms",
            "  job 2: step 2 ran at 30 ms",
            "  job 2: step 3 ran at 45 ms",
            "  main: got job 2 at 60 ms, works 50 ms",
        ]
    );
}

#[test]
fn fn_returning_a_send_future_can_be_spawned() {
    // Each handle is awaited in the order of the ids, whatever order the tasks end in.
    let run = common::run("ch04-18-send-closure", &[]).success();
    assert_eq!(
        run.lines(),
        [
            r#"closure returning a future: ["page 3", "page 1", "page 2"]"#,
            r#"async closure: ["8", "10"]"#,
        ]
    );
}
