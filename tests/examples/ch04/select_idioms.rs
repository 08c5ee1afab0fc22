//! Chapter 4: `select!` idioms (`else`, `, if`, the done flag, `Sleep::reset`)
//! and dynamic concurrency inside one task (`join_all`, `FuturesUnordered`).
use crate::common;

/// The number of milliseconds at the start of `line` ("120 ms: ...").
fn ms(line: &str) -> u64 {
    let (number, _) = line
        .trim_start()
        .split_once(" ms:")
        .unwrap_or_else(|| panic!("no milliseconds in {line:?}"));
    number.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

#[test]
fn select_else_runs_when_every_branch_is_disabled() {
    // `biased;`, channels filled before the loop: the whole output is fixed. Several runs
    // catch a listing without `biased;`: `select!` then picks a random first branch, and the
    // order a, a, b, b came in 5 runs out of 20.
    for _ in 0..10 {
        let run = common::run("ch04-10-else", &[]).success();
        assert_eq!(
            run.lines(),
            [
                "a: 1",
                "a: 2",
                "b: 10",
                "b: 20",
                "else: every branch is disabled",
                "left in a: Some(3)",
                "b: 10",
                "the task panicked: true",
                "its message: all branches are disabled and there is no else branch",
            ],
            "{run:#?}"
        );
    }
}

#[test]
fn python_wait_drops_disabled_branches_from_the_dict() {
    let Some(run) = common::python("ch04-10-else.py") else {
        return;
    };
    let run = run.success();
    assert_eq!(
        run.lines(),
        [
            "a: 1",
            "b: 10",
            "a: 2",
            "b: 20",
            "no task is left: every branch is disabled",
            "left in a: 3",
            "asyncio.wait(set()) raised ValueError: Set of Tasks/Futures is empty.",
        ]
    );
}

#[test]
fn a_finished_async_fn_polled_again_panics_and_a_done_flag_prevents_it() {
    // Paused time, one thread: ticks at 2, 4, 6, 8 ms, the upload at 5 ms.
    let run = common::run("ch04-10-done-flag", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "wrong: tick 1",
            "wrong: tick 2",
            "wrong: uploaded",
            "wrong: panicked: `async fn` resumed after completion",
            "right: tick 1",
            "right: tick 2",
            "right: uploaded",
            "right: tick 3",
            "right: tick 4",
            "right: the loop ended when both branches were disabled",
        ]
    );
    assert!(
        run.stderr.contains("`async fn` resumed after completion"),
        "{run:#?}"
    );
}

#[test]
fn python_coroutine_awaited_twice_fails_and_a_task_keeps_its_result() {
    let Some(run) = common::python("ch04-10-done-flag.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    // Real time here: where "uploaded" falls among the ticks may vary.
    common::assert_same_lines(
        &lines,
        &[
            "first await: uploaded",
            "second await: RuntimeError: cannot reuse already awaited coroutine",
            "right: tick 1",
            "right: tick 2",
            "right: uploaded",
            "right: tick 3",
            "right: tick 4",
            "the job awaited again: uploaded",
            "right: the loop ended when the set was empty",
        ],
    );
    let ticks: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("tick"))
        .collect();
    assert_eq!(
        ticks,
        [
            "right: tick 1",
            "right: tick 2",
            "right: tick 3",
            "right: tick 4"
        ]
    );
    assert_eq!(
        lines[..2],
        [
            "first await: uploaded",
            "second await: RuntimeError: cannot reuse already awaited coroutine"
        ]
    );
    assert_eq!(
        lines[lines.len() - 2..],
        [
            "the job awaited again: uploaded",
            "right: the loop ended when the set was empty"
        ]
    );
}

#[test]
fn sleep_reset_closes_after_50_ms_of_silence() {
    // Paused time: the clock jumps from timer to timer, so the figures are exact.
    // The chore at 100 ms turns the loop without moving the deadline: a
    // `sleep(IDLE)` built afresh on every turn would close at 150 ms.
    let run = common::run("ch04-10-idle", &[]).success();
    assert_eq!(
        run.lines(),
        [
            " 10 ms: got \"hello\"",
            " 30 ms: got \"ping\"",
            " 70 ms: got \"ping\"",
            "100 ms: the server's chore",
            "120 ms: idle for 50ms: closing",
        ]
    );
}

#[test]
fn python_timeout_reschedule_closes_after_50_ms_of_silence() {
    let Some(run) = common::python("ch04-10-idle.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| l.split_once(" ms: ").unwrap().1)
        .collect();
    // Real time: on a busy CPU the client can be slower than the timeout,
    // so the connection may close before any message. What holds: the
    // messages come in order, and the close comes last, at least 50 ms
    // after the last message (or after the start).
    let (last, got) = texts.split_last().expect("no output");
    assert_eq!(*last, "idle for 50 ms: closing", "{run:#?}");
    assert!(
        ["got 'hello'", "got 'ping'", "got 'ping'"].starts_with(got),
        "{run:#?}"
    );
    let quiet_since = if got.is_empty() {
        0
    } else {
        ms(lines[got.len() - 1])
    };
    // Each figure is rounded to the millisecond: allow 1 ms.
    assert!(ms(lines[got.len()]) + 1 >= quiet_since + 50, "{run:#?}");
}

#[test]
fn join_all_returns_results_in_the_order_asked() {
    // Paused clock, one thread: the finishing order and the 30 ms are exact.
    let run = common::run("ch04-11-join-all", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "finished in this order: [\"faq\", \"about\", \"blog\", \"home\"]",
            "join_all returned them in the order asked:",
            "  home (30 ms)",
            "  about (10 ms)",
            "  blog (20 ms)",
            "  faq (5 ms)",
            "all 4 in 30 ms, the time of the slowest",
        ]
    );
}

#[test]
fn python_gather_keeps_the_order_asked_and_as_completed_does_not() {
    let Some(run) = common::python("ch04-11-join-all.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    // gather's order is the order asked, whatever the timing.
    assert_eq!(
        lines[1..6],
        [
            "gather returned them in the order asked:",
            "  home (30 ms)",
            "  about (10 ms)",
            "  blog (20 ms)",
            "  faq (5 ms)",
        ],
        "{run:#?}"
    );
    // Real time: the finishing orders may vary on a busy machine; the
    // pages do not, nor the lower bound of 30 ms.
    assert!(lines[0].starts_with("finished in this order: "), "{run:#?}");
    for page in ["'home'", "'about'", "'blog'", "'faq'"] {
        assert!(lines[0].contains(page), "{run:#?}");
    }
    assert!(
        number_between(lines[6], "all 4 in ", " ms") >= 30,
        "{run:#?}"
    );
    let mut completed: Vec<&str> = lines[7..].to_vec();
    completed.sort_unstable();
    assert_eq!(
        completed,
        [
            "as_completed: about (10 ms)",
            "as_completed: blog (20 ms)",
            "as_completed: faq (5 ms)",
            "as_completed: home (30 ms)",
        ],
        "{run:#?}"
    );
}

#[test]
fn python_gather_starts_every_request_before_any_finishes() {
    // What "at the same time" guarantees, whatever the timing: `gather` makes a task of each
    // coroutine before it waits, and the four first steps run in one turn of the loop, before
    // any sleep can end. Awaiting the requests one after the other (a list of `await`s) gives
    // the same results in the same order, and only the clock would tell: here each request
    // says, as it starts, how many have finished.
    let Some(run) = common::python_edited(
        "ch04-11-join-all.py",
        &[(
            "    await asyncio.sleep(ms / 1000)\n",
            "    print(f\"start {name}: {len(finished)} finished\")\n    \
             await asyncio.sleep(ms / 1000)\n",
        )],
    ) else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    let gathered = lines
        .iter()
        .position(|l| l.starts_with("finished in this order: "))
        .unwrap_or_else(|| panic!("no finishing order: {run:#?}"));
    common::assert_same_lines(
        &lines[..gathered],
        &[
            "start home: 0 finished",
            "start about: 0 finished",
            "start blog: 0 finished",
            "start faq: 0 finished",
        ],
    );
}

#[test]
fn python_as_completed_gives_a_result_once_it_is_in() {
    // The page's sleeps cannot promise a finishing order on a busy machine, so the test sorts
    // them, and a twin that printed `gather`'s results there (the order asked) passed. Here a
    // copy makes "home" start only once "faq" has finished: `as_completed` must then give
    // "faq" before "home"; a list in the order asked gives "home" first.
    let Some(run) = common::python_edited(
        "ch04-11-join-all.py",
        &[(
            "    requests = [fetch(name, ms, []) for name, ms in pages]\n",
            "    faq_done = asyncio.Event()\n\
             \n    async def chained(name, ms):\n        \
                 if name == \"home\":\n            await faq_done.wait()\n        \
                 result = await fetch(name, ms, [])\n        \
                 if name == \"faq\":\n            faq_done.set()\n        \
                 return result\n\
             \n    requests = [chained(name, ms) for name, ms in pages]\n",
        )],
    ) else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    let at = |page: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("as_completed: {page} ")))
            .unwrap_or_else(|| panic!("no as_completed line for {page}: {run:#?}"))
    };
    assert!(at("faq") < at("home"), "{run:#?}");
}

/// The number between `before` and `after` in `line`.
fn number_between(line: &str, before: &str, after: &str) -> u64 {
    let rest = line
        .split_once(before)
        .and_then(|(_, rest)| rest.split_once(after))
        .unwrap_or_else(|| panic!("no {before:?}...{after:?} in {line:?}"));
    rest.0.parse().unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

#[test]
fn futures_unordered_yields_results_as_they_finish_and_takes_new_ones() {
    // Paused clock, one thread: the whole output is fixed.
    let run = common::run("ch04-11-unordered", &[]).success();
    assert_eq!(
        run.lines(),
        [
            " 10 ms: home done, links [\"about\", \"blog\"]",
            " 15 ms: blog done, links [\"post-1\", \"post-2\"]",
            " 23 ms: post-2 done, links []",
            " 35 ms: post-1 done, links []",
            " 40 ms: about done, links []",
            "5 pages, at most 3 in flight at once",
        ]
    );
}

#[test]
fn python_wait_set_takes_new_tasks_while_running() {
    let Some(run) = common::python("ch04-11-unordered.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    // Real time: "home" comes first (nothing else exists before it), every
    // page once, each after the page that links to it; the rest may vary.
    let texts: Vec<&str> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l.split_once(" ms: ").expect("a time").1)
        .collect();
    assert_eq!(texts[0], "home done, links ['about', 'blog']", "{run:#?}");
    let at = |page: &str| {
        texts
            .iter()
            .position(|t| t.starts_with(&format!("{page} done")))
            .unwrap_or_else(|| panic!("{page} missing: {run:#?}"))
    };
    assert!(at("blog") < at("post-1") && at("blog") < at("post-2"));
    assert_eq!(texts.len(), 5, "{run:#?}");
    assert!(at("about") > 0);
    // Two finishing in one wait (a busy machine) leaves 2 in flight, not 3: `about` done with
    // `blog` (or before it), so before the posts that `blog` links to. Counting the set before
    // adding the new tasks instead prints 2 with `about` last.
    let last = *lines.last().unwrap();
    assert!(
        last == "5 pages, at most 3 in flight at once"
            || (last == "5 pages, at most 2 in flight at once"
                && at("about") < at("post-1")
                && at("about") < at("post-2")),
        "{run:#?}"
    );
}

#[test]
fn python_wait_set_returns_without_waiting_for_all() {
    // The test above lets two pages finish in one wait (a busy machine), so a twin that called
    // `asyncio.wait(in_flight)` without FIRST_COMPLETED (ALL_COMPLETED, the default) passed it.
    // Here a copy makes "about" finish only after "post-2", which exists only once "blog" has
    // been handled: waiting for the first done gets there; waiting for all waits for "about"
    // with "blog" unhandled, and never ends (the run's timeout fails it).
    let Some(run) = common::python_edited(
        "ch04-11-unordered.py",
        &[
            (
                "async def fetch(name):\n",
                "post_2_done = asyncio.Event()\n\n\nasync def fetch(name):\n",
            ),
            (
                "    await asyncio.sleep(ms / 1000)\n",
                "    await asyncio.sleep(ms / 1000)\n    \
                 if name == \"about\":\n        await post_2_done.wait()\n    \
                 if name == \"post-2\":\n        post_2_done.set()\n",
            ),
        ],
    ) else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{run:#?}");
    let at = |page: &str| {
        lines
            .iter()
            .position(|l| l.contains(&format!(" ms: {page} done")))
            .unwrap_or_else(|| panic!("{page} missing: {run:#?}"))
    };
    assert!(at("post-2") < at("about"), "{run:#?}");
}
