//! Chapter 4, blocking complete: the blocking pool's cap and queue, `block_in_place`,
//! `block_on` inside async code, and tokio's coop budget.
use crate::common;

/// The pool listing and its twin print the same lines: the cap (2) and a barrier of 2 force
/// exactly two jobs at once on exactly two threads, and a FIFO queue pairs them in order.
const POOL: &[&str] = &[
    "ran together: jobs 0 and 1",
    "ran together: jobs 2 and 3",
    "ran together: jobs 4 and 5",
    "most running at once: 2",
    "threads used: 2",
];

fn check_pool(run: common::Run) {
    let run = run.success();
    let lines = run.lines();
    assert!(lines[0].starts_with("queued 6 jobs;"), "{run:#?}");
    assert_eq!(&lines[1..], POOL, "{run:#?}");
}

/// Runs a listing with tokio's default blocking queue. tokio 1.54 reads
/// `TOKIO_UNSTABLE_SHARDED_BLOCKING_QUEUE` (even without `--cfg tokio_unstable`) to use a
/// sharded queue, which does not keep the first-in-first-out order these listings rely on (the
/// page says so).
fn run_fifo(name: &str) -> common::Run {
    let mut cmd = std::process::Command::new(common::example_path(name));
    cmd.env_remove("TOKIO_UNSTABLE_SHARDED_BLOCKING_QUEUE");
    common::run_command(&mut cmd, None)
}

#[test]
fn the_blocking_pool_runs_two_at_a_time() {
    // Every run prints these lines. Several runs catch a cap that is too high: with
    // `max_blocking_threads(3)` a third thread often starts too late to take a job, and that
    // program printed the right lines in 12 runs out of 20.
    for _ in 0..10 {
        check_pool(run_fifo("ch04-13-blocking-pool"));
    }
}

#[test]
fn python_executor_with_two_workers_runs_two_at_a_time() {
    // Several runs, as for the listing (a twin with `max_workers=3` can print the same).
    for _ in 0..10 {
        if let Some(run) = common::python("ch04-13-blocking-pool.py") {
            check_pool(run);
        }
    }
}

/// One pool thread, first in first out: the quick job queued after the loop runs only once
/// the loop has ended. On its own thread the loop is still alive when the quick job runs (the
/// program awaits the job before it closes the loop's channel).
const OWN_THREAD: &[&str] = &[
    "a long loop on the pool:",
    "  loop ended, sum 6",
    "  quick job ran",
    "a long loop on a thread of its own:",
    "  quick job ran",
    "  loop ended, sum 6",
];

#[test]
fn a_long_loop_holds_the_pool_but_not_its_own_thread() {
    // The order holds on every run. Several runs catch a program that gets it only by luck:
    // one that closes the loop's channel before the quick job on its own thread too races the
    // loop's end against the job, and printed the right order in 12 runs out of 20.
    for _ in 0..10 {
        let run = run_fifo("ch04-13-own-thread").success();
        assert_eq!(run.lines(), OWN_THREAD, "{run:#?}");
    }
    // The first order is forced only by a pool of ONE thread. With `max_blocking_threads(2)`
    // the quick job runs on a second pool thread while the loop is alive, and the program
    // still printed these lines in 199 runs out of 200 (the loop wakes before a new thread
    // starts), so no number of runs catches it: the cap is checked in the listing itself.
    let listing = common::listing_source("ch04-13-own-thread");
    let caps: Vec<&str> = listing
        .lines()
        .filter(|line| line.contains("max_blocking_threads("))
        .map(str::trim)
        .collect();
    assert_eq!(
        caps,
        [".max_blocking_threads(1)"],
        "the pool must have one thread"
    );
}

#[test]
fn python_a_long_loop_holds_the_executor_but_not_its_own_thread() {
    // Several runs, as for the listing: a twin that puts the stop before the quick job in both
    // cases printed the right order in 2 runs out of 20.
    for _ in 0..10 {
        if let Some(run) = common::python("ch04-13-own-thread.py") {
            let run = run.success();
            assert_eq!(run.lines(), OWN_THREAD, "{run:#?}");
        }
    }
}

#[test]
fn block_in_place_and_block_on_panic_where_they_must() {
    let run = common::run("ch04-13-block-in-place", &[]).success();
    // The messages are tokio's own (tokio 1.54's context/runtime.rs and worker.rs); the
    // listing wraps the long one, so compare with the lines joined back.
    let text = run.stdout.replace("\n  ", " ");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "block_in_place on current_thread: panicked: can call blocking only \
             when running on the multi-threaded runtime",
            "block_on inside a task: panicked: Cannot start a runtime from within \
             a runtime. This happens because a function (like `block_on`) attempted \
             to block the current thread while the thread is being used to drive \
             asynchronous tasks. If you are in an async function, use `.await` on \
             the future instead of blocking on it.",
            "block_in_place on multi_thread: returned 7",
        ],
        "{run:#?}"
    );
}

#[test]
fn tokio_fs_waits_for_the_blocking_pool() {
    let run = run_fifo("ch04-13-fs-pool").success();
    // One pool thread, held until the message: the metadata call cannot have finished, whatever
    // the 20 ms were worth on this machine; after the release it ends.
    assert_eq!(
        run.lines(),
        [
            "pool thread held for 20 ms; metadata done? false",
            "pool thread let go; metadata done: a directory? true",
        ],
        "{run:#?}"
    );
}

/// The number of messages received before the other task ran, from `... ran after N messages`.
fn ran_after(line: &str) -> usize {
    let n = line.split(' ').rev().nth(1).unwrap();
    n.parse().unwrap_or_else(|_| panic!("no count in {line:?}"))
}

#[test]
fn the_coop_budget_lets_the_other_task_run() {
    let run = common::run("ch04-14-coop", &[]).success();
    let lines = run.lines();
    assert_eq!(lines.len(), 3, "{run:#?}");
    // tokio 1.54 gives a task 128 units of budget per poll (task/coop/mod.rs): a ready recv()
    // spends one, so the 129th returns Pending and the other task runs. The same holds with
    // consume_budget() before each message of the futures channel. Exactly 128, as the page
    // says: `drain`'s yield_now starts each count on a fresh poll (without it, the third count
    // inherits main's budget after `other.await` spent a unit, and prints 127).
    for line in [lines[0], lines[2]] {
        assert_eq!(ran_after(line), 128, "{line:?}: {run:#?}");
    }
    // A channel outside tokio never returns Pending while it holds messages: on one thread,
    // nothing else runs until the loop is over.
    assert!(
        lines[1].ends_with("all 1000: never during the loop"),
        "{run:#?}"
    );
}

#[test]
fn python_a_coroutine_that_never_waits_starves_the_loop() {
    let Some(run) = common::python("ch04-14-coop.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{run:#?}");
    // A ready Queue.get() does not suspend: the other task waits for the whole loop.
    assert!(
        lines[0].ends_with("all 1000: never during the loop"),
        "{run:#?}"
    );
    // sleep(0) before each get gives the loop a turn: the other task runs before the first.
    assert!(lines[1].ends_with("ran after 0 messages"), "{run:#?}");
}
