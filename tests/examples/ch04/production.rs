//! Chapter 4, the production pages: graceful shutdown, backpressure, streams, tracing.
use crate::common;

#[test]
fn shutdown_says_goodbye_to_every_connection_and_waits_for_them() {
    let run = common::run("ch04-10-shutdown", &[]).success();
    // The order of the server's lines varies (the connections' tasks run concurrently with
    // the accept loop's end); what it guarantees: the set of lines, and that both clients got
    // their echo and then the goodbye, and that the wait ended in time.
    common::assert_same_lines(
        &run.lines(),
        &[
            "server: time to stop",
            "server: stopped accepting",
            "server: a connection said goodbye",
            "server: a connection said goodbye",
            "server: every connection closed within 2 s: true",
            r#"a client got: "echo: hello\nbye: shutting down\n""#,
            r#"a client got: "echo: hello\nbye: shutting down\n""#,
        ],
    );
    let lines = run.lines();
    let closed = lines
        .iter()
        .position(|l| l.starts_with("server: every connection closed"));
    let goodbyes: Vec<_> = (0..lines.len())
        .filter(|&i| lines[i].ends_with("said goodbye"))
        .collect();
    // `tasks.wait()` returns only after every connection's task has ended.
    assert!(goodbyes.iter().all(|&i| Some(i) < closed), "{lines:#?}");
    assert_eq!(
        lines[0], "server: time to stop",
        "the stop comes first: {lines:#?}"
    );
}

#[test]
fn python_shutdown() {
    let Some(run) = common::python("ch04-10-shutdown.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(
        lines.iter().filter(|l| l.ends_with("said goodbye")).count(),
        2,
        "{lines:#?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| **l == r"a client got: 'echo: hello\nbye: shutting down\n'")
            .count(),
        2,
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"server: every connection closed within 2 s: True"),
        "{lines:#?}"
    );
}

/// The number after the last colon of the line starting with `prefix`.
fn number(lines: &[&str], prefix: &str) -> u64 {
    let line = lines
        .iter()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {lines:#?}"));
    line.rsplit(':')
        .next()
        .unwrap()
        .trim()
        .trim_end_matches(" ms")
        .parse()
        .unwrap()
}

fn check_semaphore(lines: &[&str]) {
    assert_eq!(lines[0], "jobs done: 10000, sum of their ids: 50005000");
    let (most, bound) = (
        number(lines, "most jobs running at once"),
        number(lines, "the bound"),
    );
    assert_eq!(bound, 100);
    // The guarantee is `most <= bound`. 10 000 jobs of 1 ms each also fill every place, and
    // the listing's prose says so; a bound never reached would mean no concurrency at all.
    assert!(
        most <= bound,
        "{most} jobs ran at once, over the bound of {bound}"
    );
    assert!(most > 1, "the jobs never overlapped: {lines:#?}");
}

#[test]
fn semaphore_keeps_the_bound() {
    let run = common::run("ch04-11-semaphore", &[]).success();
    check_semaphore(&run.lines());
}

#[test]
fn python_semaphore() {
    let Some(run) = common::python("ch04-11-semaphore.py") else {
        return;
    };
    check_semaphore(&run.success().lines());
}

#[test]
fn streams_end_when_their_source_does() {
    let run = common::run("ch04-12-streams", &[]).success();
    // One task sends into a bounded channel, one stream reads it: a channel keeps its order.
    assert_eq!(
        run.lines(),
        [
            "from the channel: one",
            "from the channel: two",
            "from the channel: three",
            "tick 1 at about 0 ms",
            "tick 2 at about 20 ms",
            "tick 3 at about 40 ms",
            "sum of the even squares up to 10: 220",
        ],
        "an interval yields the instants its ticks were scheduled for, whatever the delay"
    );
}

#[test]
fn python_async_generators() {
    let Some(run) = common::python("ch04-12-streams.py") else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(
        lines[..3],
        [
            "from the channel: one",
            "from the channel: two",
            "from the channel: three"
        ]
    );
    // asyncio.sleep measures real time: a busy machine makes the ticks late, so only their
    // number is checked.
    assert_eq!(lines.iter().filter(|l| l.starts_with("tick ")).count(), 3);
    assert_eq!(lines.last(), Some(&"sum of the even squares up to 10: 220"));
}

#[test]
fn buffer_unordered_returns_every_page_once() {
    let run = common::run("ch04-12-buffer-unordered", &[]).success();
    let lines = run.lines();
    assert!(
        lines[0].starts_with("20 pages arrived, first three: "),
        "{lines:#?}"
    );
    assert_eq!(lines[1], "every page once: true");
    assert!(
        lines[2].starts_with("one at a time would take 970 ms; this took "),
        "{lines:#?}"
    );
}

#[test]
fn tracing_prints_each_event_in_its_span() {
    let run = common::run("ch04-14-tracing", &[]).success();
    let lines = run.lines();
    common::assert_same_lines(
        &lines,
        &[
            " INFO fetch{page=1}: asking for the page",
            " INFO fetch{page=2}: asking for the page",
            " INFO fetch{page=3}: asking for the page",
            " INFO fetch{page=1}: got the page size=100",
            " WARN fetch{page=2}: slow answer, retrying once",
            " INFO fetch{page=2}: got the page size=200",
            " INFO fetch{page=3}: got the page size=300",
            " INFO all pages fetched total=600",
        ],
    );
    // Within one task, its events come in program order; the total comes after every task.
    for page in 1..=3 {
        let span = format!("fetch{{page={page}}}:");
        let own: Vec<_> = lines.iter().filter(|l| l.contains(&span)).collect();
        assert!(own[0].ends_with("asking for the page"), "{own:?}");
        assert!(own.last().unwrap().contains("got the page"), "{own:?}");
    }
    assert_eq!(lines.last(), Some(&" INFO all pages fetched total=600"));
}
