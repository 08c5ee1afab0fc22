//! Chapter 4 in depth: the `buffer_unordered` stall and its fix; spawning what a closure returns.
use crate::common;

#[test]
fn buffer_unordered_stalls_while_the_body_awaits_but_tasks_do_not() {
    // Tokio's clock is paused, so every time is exact whatever the load, and one thread
    // runs everything: the whole output is fixed.
    let run = common::run("ch04-20-stall", &[]).success();
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
    let run = common::run("ch04-24-send-closure", &[]).success();
    assert_eq!(
        run.lines(),
        [
            r#"closure returning a future: ["page 3", "page 1", "page 2"]"#,
            r#"async closure: ["8", "10"]"#,
        ]
    );
}

#[test]
fn python_async_generator_stalls_the_same_way() {
    let Some(run) = common::python("ch04-20-stall.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 18, "{run:#?}");
    // Program order: the generator runs only inside __anext__, so job 2 does not even
    // start before the body is done with job 1.
    assert_eq!(
        lines[..9],
        [
            "an async generator:",
            "  job 1: step 1",
            "  main: got job 1, works 50 ms",
            "  main: done with job 1",
            "  job 2: step 1",
            "  job 2: step 2",
            "  job 2: step 3",
            "  main: got job 2, works 50 ms",
            "  main: done with job 2",
        ],
        "{run:#?}"
    );
    // Tasks run during the body; where their steps fall among its lines is up to the
    // timers, so check the set and the orders the program imposes.
    let tasks = &lines[9..];
    assert_eq!(tasks[0], "tasks, taken as they complete:");
    common::assert_same_lines(&tasks[1..], &lines[1..9]);
    let at = |line: &str| tasks.iter().position(|l| *l == line).unwrap();
    assert!(at("  job 1: step 1") < at("  main: got job 1, works 50 ms"));
    // The point of the tasks: job 2 runs during the body. Its first timer is set when
    // the task starts and is due 15 ms later; the body's is set later still and is due
    // 50 ms later, so asyncio fires job 2's first, whatever the load.
    assert!(
        at("  job 2: step 1") < at("  main: done with job 1"),
        "{run:#?}"
    );
    assert!(at("  job 2: step 1") < at("  job 2: step 2"));
    assert!(at("  job 2: step 2") < at("  job 2: step 3"));
    assert!(at("  job 2: step 3") < at("  main: got job 2, works 50 ms"));
    assert!(at("  main: done with job 1") < at("  main: got job 2, works 50 ms"));
    assert_eq!(tasks[8], "  main: done with job 2", "{run:#?}");
}
