use crate::common;

use common::Run;

/// Splits a line like `[ 150 ms] python.org: 35 bytes` into (150, "python.org: 35 bytes").
fn stamped(line: &str) -> (u64, &str) {
    let (stamp, rest) = line
        .strip_prefix('[')
        .and_then(|l| l.split_once(" ms] "))
        .unwrap_or_else(|| panic!("not a time-stamped line: {line:?}"));
    (stamp.trim().parse().expect("milliseconds"), rest)
}

/// The number of milliseconds in a line like `Total: 301 ms, ...`.
fn total_ms(line: &str) -> u64 {
    let rest = line
        .strip_prefix("Total: ")
        .unwrap_or_else(|| panic!("not the total: {line:?}"));
    let (ms, _) = rest.split_once(" ms").expect("a figure in ms");
    ms.parse().expect("milliseconds")
}

/// The three downloads happen one after another, so each finishes no sooner than the sum of
/// the waits so far, and the total is at least the sum of all three.
fn check_blocking(run: Run) {
    let lines = run.lines();
    assert_eq!(lines.len(), 5, "{lines:#?}");
    let expected = [
        ("rust-lang.org: 38 bytes", 150),
        ("python.org: 35 bytes", 200),
        ("docs.rs: 32 bytes", 300),
    ];
    for (line, (text, waited_so_far)) in lines.iter().zip(expected) {
        let (ms, rest) = stamped(line);
        assert_eq!(rest, text);
        assert!(ms >= waited_so_far, "{line} came before {waited_so_far} ms");
    }
    assert!(total_ms(lines[3]) >= 300, "{}", lines[3]);
    assert!(lines[3].ends_with("the sum of the waits (300 ms)."));
    assert!(lines[4].starts_with("Time spent on anything but waiting: "));
}

#[test]
fn blocking_downloads_add_up() {
    check_blocking(common::run("ch01-01-blocking", &[]).success());
}

#[test]
fn blocking_downloads_add_up_in_python() {
    if let Some(run) = common::python("ch01-01-blocking.py") {
        check_blocking(run.success());
    }
}

const FUNCTIONS: &str = "\
apply_twice(double, 5) = 20
apply_twice(square, 5) = 625
double(7) = 14
square(7) = 49
add_bonus to all: [101, 102, 103]
square to all:    [1, 4, 9]
add_ten(32) = 42
";

#[test]
fn functions_are_values() {
    let run = common::run("ch01-02-functions", &[]).success();
    assert_eq!(run.stdout, FUNCTIONS);
}

#[test]
fn functions_are_values_in_python() {
    if let Some(run) = common::python("ch01-02-functions.py") {
        assert_eq!(run.success().stdout, FUNCTIONS);
    }
}

/// Nothing registered runs before `boil()`; then every callback runs, in registration order.
const CALLBACKS: &str = "\
Three things to do when the water boils; none done yet.
Meanwhile, read the news.
Click! The kettle is done.
Pour the 100 °C water on the Earl Grey.
Fill my mug.
Fill Ferris's mug.
Put the kettle back.
";

#[test]
fn callbacks_run_later() {
    let run = common::run("ch01-02-callbacks", &[]).success();
    assert_eq!(run.stdout, CALLBACKS);
}

#[test]
fn callbacks_run_later_in_python() {
    if let Some(run) = common::python("ch01-02-callbacks.py") {
        assert_eq!(run.success().stdout, CALLBACKS);
    }
}

/// Every read is started before any callback runs (so the three waits overlap: a blocking
/// loop would interleave the lines); the callbacks then run in the order of their due times,
/// not of their starts, which the loop's queue guarantees (all three are timed from the same
/// loop clock), each no sooner than its wait. How far below the sum of the waits the total
/// comes is the page's to show, not a test's to time: no stopwatch upper bound.
fn check_event_loop(run: Run) {
    let lines = run.lines();
    assert_eq!(lines.len(), 7, "{lines:#?}");
    assert_eq!(
        lines[..3],
        [
            "Asked for rust-lang.org (150 ms).",
            "Asked for python.org (50 ms).",
            "Asked for docs.rs (100 ms).",
        ]
    );
    let completions = [
        ("python.org: 35 bytes", 50),
        ("docs.rs: 32 bytes", 100),
        ("rust-lang.org: 38 bytes", 150),
    ];
    for (line, (text, wait)) in lines[3..6].iter().zip(completions) {
        let (ms, rest) = stamped(line);
        assert_eq!(rest, text);
        assert!(ms >= wait, "{line} came before its {wait} ms wait was over");
    }
    assert!(total_ms(lines[6]) >= 150, "{}", lines[6]);
    assert!(lines[6].ends_with("not the sum (300 ms)."), "{}", lines[6]);
}

#[test]
fn event_loop_calls_back_in_completion_order() {
    check_event_loop(common::run("ch01-03-event-loop", &[]).success());
}

#[test]
fn event_loop_calls_back_in_completion_order_in_python() {
    if let Some(run) = common::python("ch01-03-event-loop.py") {
        check_event_loop(run.success());
    }
}

/// The chain's steps run one after another (each starts in the previous one's callback); the
/// news (75 ms) lands between the first step (50 ms) and the second (no sooner than 100 ms);
/// the loop returns only once every read has been called back.
fn check_chain(run: Run) {
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let expected = [
        ("got config.toml", 50),
        ("got news.txt", 75),
        ("got users/ferris.json", 100),
        ("got avatars/ferris.png", 150),
        ("The chain is done.", 150),
    ];
    for (line, (text, earliest)) in lines.iter().zip(expected) {
        let (ms, rest) = stamped(line);
        assert_eq!(rest, text);
        assert!(ms >= earliest, "{line} came before {earliest} ms");
    }
    assert!(total_ms(lines[5]) >= 150, "{}", lines[5]);
}

#[test]
fn chained_callbacks_run_one_after_another() {
    check_chain(common::run("ch01-03-callback-chain", &[]).success());
}

#[test]
fn chained_callbacks_run_one_after_another_in_python() {
    if let Some(run) = common::python("ch01-03-callback-chain.py") {
        check_chain(run.success());
    }
}

/// Runs the Python twin with the news read made slower than the whole chain
/// (600 ms instead of 75), by editing its source on the way in.
fn python_chain_with_slow_news() -> Option<Run> {
    common::python_edited(
        "ch01-03-callback-chain.py",
        &[(
            r#"read("news.txt", 75, log)"#,
            r#"read("news.txt", 600, log)"#,
        )],
    )
}

/// Like the Rust loop's `run`, the twin returns when no read is pending, not
/// when the chain ends: a read slower than the chain (600 ms against three
/// 50 ms steps) is still called back. Which of the two ends first is left to
/// the scheduler (a busy machine can slow the chain past the news); what is
/// guaranteed is that the news arrives, no sooner than asked, before the total.
#[test]
fn chained_callbacks_python_waits_for_every_read() {
    let Some(run) = python_chain_with_slow_news() else {
        return;
    };
    let run = run.success();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let news = lines[..5]
        .iter()
        .map(|line| stamped(line))
        .find(|(_, rest)| *rest == "got news.txt")
        .unwrap_or_else(|| panic!("the slow read was dropped: {lines:#?}"));
    assert!(news.0 >= 600, "{lines:#?}");
    assert!(
        lines[..5]
            .iter()
            .any(|l| stamped(l).1 == "The chain is done."),
        "{lines:#?}"
    );
    assert!(total_ms(lines[5]) >= 600, "{lines:#?}");
}

#[test]
fn cores_are_counted() {
    let run = common::run("ch01-05-cores", &[]).success();
    let line = run.stdout.trim_end();
    let cores: usize = line
        .strip_prefix("Up to ")
        .and_then(|rest| rest.strip_suffix(" threads can run in parallel here."))
        .unwrap_or_else(|| panic!("unexpected output: {line:?}"))
        .parse()
        .expect("a number of cores");
    assert!(cores >= 1);
}

/// The first read finds nothing (the peer writes only after it), the second
/// finds the five bytes: the same three lines every run.
#[test]
fn nonblocking_read_would_block_then_gets_the_bytes() {
    let run = common::run("ch01-04-nonblocking", &[]).success();
    assert_eq!(
        run.lines(),
        [
            "read: WouldBlock, at once (nothing sent yet)",
            "told the peer to write",
            r#"read: 5 bytes, "hello""#,
        ]
    );
}

#[test]
fn nonblocking_python() {
    let Some(run) = common::python("ch01-04-nonblocking.py") else {
        return;
    };
    assert_eq!(
        run.success().lines(),
        [
            "recv: BlockingIOError, at once (nothing sent yet)",
            "told the peer to write",
            "recv: 5 bytes, b'hello'",
        ]
    );
}

/// "`main` does so only after its first read has returned `WouldBlock`: so
/// the first read always finds nothing." Held up for 100 ms as it enters
/// each `recvfrom` (`strace` injects the delay), the first read of a
/// listing (or twin) that tells the peer to write before it reads finds
/// the bytes there and fails; the real one still finds nothing, since its
/// peer waits for the word, whatever the delay. Skipped where `strace`
/// cannot run (not installed, or tracing not allowed).
#[cfg(target_os = "linux")]
#[test]
fn nonblocking_first_read_finds_nothing_however_late() {
    use std::process::Command;
    if !common::strace_works() {
        return;
    }
    let strace = || {
        let mut cmd = Command::new("strace");
        cmd.args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=recvfrom"])
            .args(["-e", "inject=recvfrom:delay_enter=100000"]);
        cmd
    };
    let mut cmd = strace();
    cmd.arg(common::example_path("ch01-04-nonblocking"));
    let run = common::run_command(&mut cmd, None).success();
    assert_eq!(
        run.lines()[0],
        "read: WouldBlock, at once (nothing sent yet)"
    );
    let Some(twin) = common::twin_command("ch01-04-nonblocking.py") else {
        return;
    };
    let run = common::run_command(&mut common::under(strace(), &twin), None).success();
    assert_eq!(
        run.lines()[0],
        "recv: BlockingIOError, at once (nothing sent yet)"
    );
}

/// "So the listing tries, rests a millisecond, tries again": every read of
/// the connection is non-blocking, the retries included. Traced with
/// `strace` (std's `set_nonblocking` is an `ioctl` on Linux), a listing
/// that turns the socket back to blocking for its second read
/// (`set_nonblocking(false)`, then one `read`) prints the same lines, and
/// fails here. Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn nonblocking_retries_never_block() {
    use std::process::Command;
    let listing = Command::new(common::example_path("ch01-04-nonblocking"));
    let Some((run, text)) = common::traced("ch01-04", &["-f", "-e", "trace=ioctl,fcntl"], &listing)
    else {
        return;
    };
    run.success();
    assert!(text.contains("FIONBIO, [1]"), "never non-blocking:\n{text}");
    let blocking = text.lines().find(|l| {
        l.contains("FIONBIO, [0]") || (l.contains("F_SETFL") && !l.contains("O_NONBLOCK"))
    });
    assert!(blocking.is_none(), "back to blocking: {blocking:?}");
}

/// "So the listing tries, rests a millisecond, tries again": every retry
/// that finds nothing is followed by a rest. Traced with `strace`, the
/// peer's `send` (a `sendto` call) held up for 50 ms so that the retries
/// find nothing for a while, each `EAGAIN` of the retry loop must be
/// followed by a sleep (`clock_nanosleep`) before the next read. A listing
/// whose loop spins without resting (`Err(e) if e.kind() ==
/// ErrorKind::WouldBlock => {}`) prints the same lines, and fails here.
/// Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn nonblocking_retries_rest_between_tries() {
    use std::process::Command;
    let listing = Command::new(common::example_path("ch01-04-nonblocking"));
    let trace = "trace=execve,recvfrom,sendto,nanosleep,clock_nanosleep";
    let options = ["-f", "-e", trace, "-e", "inject=sendto:delay_enter=50000"];
    let Some((run, text)) = common::traced("ch01-04-rest", &options, &listing) else {
        return;
    };
    run.success();
    // The listing's main thread (the first process traced).
    let mut calls = common::first_process_calls(&text).into_iter();
    // Skip the first read (it finds nothing, and `main` then gives the
    // word): the retries come after it.
    calls.find(|c| c.starts_with("recvfrom(")).expect("a read");
    let mut resting = true;
    for call in calls {
        if call.starts_with("recvfrom(") {
            assert!(
                resting,
                "a retry right after an EAGAIN, with no rest:\n{text}"
            );
            resting = !call.contains("EAGAIN");
        } else if call.contains("nanosleep(") {
            resting = true;
        }
    }
}

/// "So the twin needs no retry loop": after its first `recv`, the twin
/// sleeps in the selector until the bytes are there, then reads once.
/// Traced like the listing above (the peer's `sendto` held up 50 ms), the
/// twin's main thread gets exactly one `EAGAIN`, its first read, and waits
/// in `epoll` between that read and the one that gets the bytes. A twin
/// that retries instead (`except BlockingIOError: time.sleep(0.001)` in a
/// loop, no selector) prints the same lines, and fails here; so does one
/// that turns the socket back to blocking for its second `recv`
/// (`stream.setblocking(True)`, no selector). Skipped where `strace` or
/// `python3` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn nonblocking_python_waits_without_retrying() {
    let Some(cmd) = common::twin_command("ch01-04-nonblocking.py") else {
        return;
    };
    // glibc's `epoll_wait` is the `epoll_pwait` system call on some targets.
    let trace = "trace=execve,recvfrom,sendto,epoll_wait,epoll_pwait";
    let options = ["-f", "-e", trace, "-e", "inject=sendto:delay_enter=50000"];
    let Some((run, text)) = common::traced("ch01-04-py-rest", &options, &cmd) else {
        return;
    };
    assert_eq!(
        run.success().lines()[2],
        "recv: 5 bytes, b'hello'",
        "the twin's last line"
    );
    // The twin's main thread (the first process traced; pyenv's shim execs).
    let calls = common::first_process_calls(&text);
    let eagains = calls
        .iter()
        .filter(|call| call.contains("recvfrom") && call.contains("EAGAIN"))
        .count();
    assert_eq!(eagains, 1, "the twin retried its read:\n{text}");
    // Between the read that found nothing and the next one, the selector.
    let waited = calls
        .iter()
        .skip_while(|call| !(call.starts_with("recvfrom(") && call.contains("EAGAIN")))
        .skip(1)
        .take_while(|call| !call.starts_with("recvfrom("))
        .any(|call| call.starts_with("epoll_wait(") || call.starts_with("epoll_pwait("));
    assert!(waited, "no epoll wait before the second read:\n{text}");
}
