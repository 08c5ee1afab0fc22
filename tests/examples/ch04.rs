//! Chapter 4, first half: lazy futures, polling by hand, `block_on`, a small executor.
use crate::common;

/// The number just before `word` in `line` ("after 3 polls" -> 3 for "polls").
fn number_before(line: &str, word: &str) -> u128 {
    let words: Vec<&str> = line.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let at = words
        .iter()
        .position(|w| *w == word)
        .unwrap_or_else(|| panic!("no {word:?} in {line:?}"));
    words[at - 1]
        .parse()
        .unwrap_or_else(|_| panic!("no number before {word:?} in {line:?}"))
}

const LAZY: &[&str] = &[
    "created a future for Atlantis",
    "dropped it: nothing was printed for Atlantis",
    "created a future for Asia and Europe",
    "polling it once...",
    "The name of continent is :  Asia",
    "The name of continent is :  Europe",
    "Ready: 10 letters",
];

#[test]
fn lazy_futures_run_only_when_polled() {
    // One thread, program order: the whole output is fixed.
    let run = common::run("ch04-01-lazy", &[]).success();
    assert_eq!(run.lines(), LAZY);
}

#[test]
fn lazy_python_coroutines_run_only_when_awaited_but_tasks_start_at_once() {
    let Some(run) = common::python("ch04-01-lazy.py") else {
        return;
    };
    let run = run.success();
    assert_eq!(
        run.lines(),
        [
            "created a coroutine for Atlantis",
            "dropped it: nothing was printed for Atlantis",
            "created a coroutine for Asia",
            "The name of continent is :  Asia",
            "awaited: 4 letters",
            "created a task for Europe",
            "The name of continent is :  Europe",
            "the task is done: True",
        ]
    );
    assert!(
        run.stderr
            .contains("coroutine 'print_func' was never awaited"),
        "Python should warn about the dropped coroutine: {run:#?}"
    );
}

/// Checks a run of the async callback chain or its Python twin.
fn check_chain(run: common::Run, created: &str) {
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert_eq!(lines[0], created);
    // "[ 101 ms] got users/ferris.json" -> (101, "got users/ferris.json")
    let logged: Vec<(u128, &str)> = lines[1..6]
        .iter()
        .map(|l| {
            let (ms, what) = l.split_once(" ms] ").expect("a log line");
            (ms.trim_start_matches(['[', ' ']).parse().unwrap(), what)
        })
        .collect();
    let whats: Vec<&str> = logged.iter().map(|(_, what)| *what).collect();
    // Within the chain the order is the program's: each step awaits the one before. The news
    // may land anywhere among them (it usually comes second).
    let chain: Vec<&str> = whats
        .iter()
        .copied()
        .filter(|w| *w != "got news.txt")
        .collect();
    let steps = [
        "got config.toml",
        "got users/ferris.json",
        "got avatars/ferris.png",
        "The chain is done.",
    ];
    assert_eq!(chain, steps, "{lines:#?}");
    assert_eq!(whats.len(), 5, "news.txt is read once: {lines:#?}");
    // Timers never fire early: each step ends at least 50 ms after the one before.
    for (what, at_least) in [
        (steps[0], 50),
        (steps[1], 100),
        (steps[2], 150),
        ("got news.txt", 75),
    ] {
        let (ms, _) = logged.iter().find(|(_, w)| *w == what).unwrap();
        assert!(*ms >= at_least, "{what} at {ms} ms: {lines:#?}");
    }
    assert!(lines[6].starts_with("Total: "), "{lines:#?}");
    assert!(number_before(lines[6], "ms:") >= 150, "{lines:#?}");
}

#[test]
fn chain_reads_top_to_bottom_and_overlaps_the_news() {
    let run = common::run("ch04-01-chain", &[]);
    check_chain(run, "Two futures created; nothing has run yet.");
}

#[test]
fn chain_python_with_asyncio() {
    if let Some(run) = common::python("ch04-01-chain.py") {
        check_chain(run, "Two coroutines created; nothing has run yet.");
    }
}

const POLL_BY_HAND: &[&str] = &[
    "created the launch future",
    "poll 1",
    "  launch: counting down",
    "  -> Pending",
    "poll 2",
    "  -> Pending",
    "poll 3",
    "  launch: liftoff",
    "Ready after 3 polls: LIFTOFF",
];

#[test]
fn poll_by_hand_is_pending_twice_then_ready() {
    let run = common::run("ch04-01-poll-by-hand", &[]).success();
    assert_eq!(run.lines(), POLL_BY_HAND);
}

#[test]
fn poll_by_hand_python_is_the_same_dance() {
    let Some(run) = common::python("ch04-01-poll-by-hand.py") else {
        return;
    };
    let run = run.success();
    // The same lines, with "coroutine" for "future".
    let expected: Vec<String> = POLL_BY_HAND
        .iter()
        .map(|l| l.replace("future", "coroutine"))
        .collect();
    assert_eq!(run.lines(), expected);
}

/// Checks a run of the block_on listing or its Python twin.
fn check_block_on(run: common::Run) {
    let run = run.success();
    let lines = run.lines();
    assert_eq!(
        lines[..2],
        ["task: sleeping 50 ms", "task: sleeping 50 ms more"]
    );
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines[2].starts_with("answer 42, after "), "{lines:#?}");
    // Each Sleep is Pending at least once, so at least 3 polls; and the two sleeps run one
    // after the other, so at least 100 ms.
    assert!(number_before(lines[2], "polls") >= 3, "{lines:#?}");
    assert!(number_before(lines[2], "ms") >= 100, "{lines:#?}");
}

#[test]
fn block_on_runs_the_task_to_the_end() {
    check_block_on(common::run("ch04-02-block-on", &[]));
}

#[test]
fn block_on_python_drives_a_coroutine_with_send() {
    if let Some(run) = common::python("ch04-02-block-on.py") {
        check_block_on(run);
    }
}

/// Checks a run of the executor listing or its Python twin (whose main thread is `thread`).
fn check_executor(run: common::Run, thread: &str) {
    let run = run.success();
    let lines = run.lines();
    let naps = [("A", 100), ("B", 20), ("C", 60)];
    // The run queue starts with A, B, C in that order, and nothing wakes a task before each
    // has been polled once: so the three "going to sleep" lines come first, in that order.
    for (i, (name, ms)) in naps.iter().enumerate() {
        let line = format!("{name}: going to sleep for {ms} ms (on thread {thread})");
        assert_eq!(lines[i], line, "{lines:#?}");
    }
    // The wake-ups come in whatever order the timers allow: check the set, and that every
    // task ran on the one thread.
    let woke: Vec<String> = naps
        .iter()
        .map(|(name, ms)| format!("{name}: woke up after {ms} ms (on thread {thread})"))
        .collect();
    let woke: Vec<&str> = woke.iter().map(String::as_str).collect();
    common::assert_same_lines(&lines[3..6], &woke);
    // The last line comes after run() has returned; the elapsed time is at least the
    // longest nap (timers never fire early).
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert!(lines[6].starts_with("all tasks done after "), "{lines:#?}");
    assert!(number_before(lines[6], "ms") >= 100, "{lines:#?}");
}

#[test]
fn executor_runs_three_tasks_on_one_thread() {
    check_executor(common::run("ch04-02-executor", &[]), "main");
}

#[test]
fn executor_python_runs_three_tasks_on_one_thread() {
    if let Some(run) = common::python("ch04-02-executor.py") {
        check_executor(run, "MainThread");
    }
}

mod blocking_more;
mod channel_family;
mod depth;
mod production;
mod select_idioms;
mod streams_more;
mod tasks;
mod under_load;
