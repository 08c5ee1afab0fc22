//! Chapter 4, the production pages: graceful shutdown, backpressure, streams, tracing.
use crate::common;

const SHUTDOWN: &[&str] = &[
    "server: both clients served, time to stop",
    "server: stopped accepting",
    "server: a connection said goodbye",
    "server: a connection said goodbye",
    "server: every connection closed within 2 s: true",
    r#"a client got: "echo: hello\nbye: shutting down\n""#,
    r#"a client got: "echo: hello\nbye: shutting down\n""#,
];

/// Checks a run of the shutdown listing or its twin against the `expected` lines.
fn check_shutdown(lines: &[&str], expected: &[String]) {
    // The stop comes only once both clients have their echo (a rendezvous, not a timer), so
    // every line is guaranteed, the `true` too unless two short writes miss the 2 s deadline
    // (a machine stalled for seconds: the page says so). Their order varies only where the
    // connections' goodbyes meet the accept loop's "stopped accepting".
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    common::assert_same_lines(lines, &expected);
    assert_eq!(lines[0], expected[0], "the stop comes first: {lines:#?}");
    // `tasks.wait()` (or `gather`) returns only after every connection's task has ended, and
    // the clients read until the end only after that.
    let closed = lines
        .iter()
        .position(|l| l.starts_with("server: every connection closed"))
        .unwrap();
    for (i, line) in lines.iter().enumerate() {
        if line.ends_with("said goodbye") {
            assert!(i < closed, "{lines:#?}");
        }
        if line.starts_with("a client got") {
            assert!(i > closed, "{lines:#?}");
        }
    }
}

#[test]
fn shutdown_says_goodbye_to_every_connection_and_waits_for_them() {
    // Several runs: a server that spawns its connections with `tokio::spawn` instead of
    // `tasks.spawn` waits for none of them, and still printed both goodbyes before "every
    // connection closed" in 10 runs out of 20.
    for _ in 0..10 {
        let run = common::run("ch04-16-shutdown", &[]).success();
        let expected: Vec<String> = SHUTDOWN.iter().map(|l| l.to_string()).collect();
        check_shutdown(&run.lines(), &expected);
        assert_eq!(run.stderr, "", "no accept or connection error");
    }
}

#[test]
fn python_shutdown() {
    let Some(run) = common::python("ch04-16-shutdown.py") else {
        return;
    };
    let run = run.success();
    // The same lines, with Python's spellings.
    let expected: Vec<String> = SHUTDOWN
        .iter()
        .map(|l| l.replace(": true", ": True").replace('"', "'"))
        .collect();
    check_shutdown(&run.lines(), &expected);
}

const ABORT: &[&str] = &[
    "server: both requests started: stop",
    "server: stopped accepting",
    "server: a connection said goodbye",
    "server: a connection closed",
    "server: deadline passed, 1 still running: aborting",
    "server: a connection closed",
    "server: a connection was cancelled",
    r#"client A got: "started: short\ndone: short\nbye: shutting down\n""#,
    r#"client B got: "started: long\n""#,
];

/// Checks a run of the listing that aborts what is left after the deadline, or of its twin.
fn check_abort(lines: &[&str], expected: &[String]) {
    // The stop comes once both requests have started (the clients read "started"). A's
    // request ends 200 ms after it started, then A says goodbye: well within the drain's
    // 500 ms deadline, which starts after the stop. B's request takes an hour: it is still
    // running when the deadline passes, every run. (A drain that does not wait for its
    // deadline aborts A too, unless the machine stalled for the 200 ms of A's request.)
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    common::assert_same_lines(lines, &expected);
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap();
    assert_eq!(
        at("server: both requests"),
        0,
        "the stop comes first: {lines:#?}"
    );
    // The drain waits for A until the deadline; B is aborted only then, and the server
    // returns (so the clients read to the end) only once the aborted task has ended.
    assert!(at("server: a connection said goodbye") < at("server: deadline passed"));
    assert!(at("server: deadline passed") < at("server: a connection was cancelled"));
    assert!(at("server: a connection was cancelled") < at("client A got"));
    // Each task says "closed" as its future is dropped (Rust) or its `finally` runs
    // (Python), before its result can be joined: A's before the deadline, B's after the
    // abort and before "cancelled". A server that logs "cancelled" without waiting for the
    // aborted task to end prints it before B's "closed".
    let closed: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i] == "server: a connection closed")
        .collect();
    assert!(
        closed[0] < at("server: deadline passed")
            && at("server: deadline passed") < closed[1]
            && closed[1] < at("server: a connection was cancelled"),
        "A closed before the deadline, B after the abort and before the log: {lines:#?}"
    );
}

/// The drain waits until its deadline, 500 ms after the stop, before it aborts B (which never
/// ends by itself): no run can take less, however fast the machine. A drain that stops at the
/// first task to end (`if let` for `while let`) prints the same lines, 200 ms after the stop.
fn check_drain_time(started: std::time::Instant, run: &common::Run) {
    let took = started.elapsed();
    assert!(
        took >= std::time::Duration::from_millis(500),
        "ended {took:?} after its start, before the drain's deadline: {run:#?}"
    );
}

#[test]
fn abort_cancels_what_is_left_after_the_deadline_and_says_so() {
    common::example_path("ch04-16-abort"); // builds the examples, before the clock starts
    let started = std::time::Instant::now();
    let run = common::run("ch04-16-abort", &[]).success();
    check_drain_time(started, &run);
    let expected: Vec<String> = ABORT.iter().map(|l| l.to_string()).collect();
    check_abort(&run.lines(), &expected);
    assert_eq!(run.stderr, "", "no accept or connection error");
}

#[test]
fn python_abort() {
    let started = std::time::Instant::now();
    let Some(run) = common::python("ch04-16-abort.py") else {
        return;
    };
    check_drain_time(started, &run);
    let expected: Vec<String> = ABORT.iter().map(|l| l.replace('"', "'")).collect();
    check_abort(&run.success().lines(), &expected);
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
    let run = common::run("ch04-18-semaphore", &[]).success();
    check_semaphore(&run.lines());
}

#[test]
fn python_semaphore() {
    let Some(run) = common::python("ch04-18-semaphore.py") else {
        return;
    };
    check_semaphore(&run.success().lines());
}

#[test]
fn streams_end_when_their_source_does() {
    let run = common::run("ch04-20-streams", &[]).success();
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

/// Run on its own, the listing cannot show that its ticks keep their schedule: on an idle
/// machine, the moment each tick is seen is the moment it was due, to the millisecond. So this
/// holds it up (SIGSTOP) for 100 ms right after it printed tick 1: it must still print 20 and
/// 40 ms. A listing that printed when it saw each tick (`Instant::now()` instead of the tick's
/// instant) passes `streams_end_when_their_source_does`, and fails here, unless the machine is
/// so slow that both later ticks were printed before the stop arrived.
#[test]
#[cfg(unix)] // the signals are sent with `kill`
fn interval_ticks_keep_their_schedule_when_the_program_is_held_up() {
    let run = common::Live::start("ch04-20-streams", false, &[]).unwrap();
    while !run.line().starts_with("tick 1 ") {}
    run.signal("STOP");
    std::thread::sleep(std::time::Duration::from_millis(100));
    run.signal("CONT");
    let (status, rest) = run.finish();
    assert!(status.success(), "{status:?} {rest:#?}");
    assert_eq!(
        rest,
        [
            "tick 2 at about 20 ms",
            "tick 3 at about 40 ms",
            "sum of the even squares up to 10: 220",
        ]
    );
}

#[test]
fn python_async_generators() {
    let Some(run) = common::python("ch04-20-streams.py") else {
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
    // Tokio's clock is paused and one thread runs everything: the order in which the pages
    // finish and the time it took are exact. Rejects `buffered(4)` (pages 1, 2, 3 first, and
    // 303 ms) and `buffer_unordered(1)` (970 ms).
    let run = common::run("ch04-20-buffer-unordered", &[]).success();
    assert_eq!(
        run.lines(),
        [
            r#"20 pages arrived, first three: ["page 2", "page 4", "page 1"]"#,
            "every page once: true",
            "one at a time would take 970 ms; this took 256 ms",
        ]
    );
}

#[test]
fn tracing_prints_each_event_in_its_span() {
    let run = common::run("ch04-22-tracing", &[]).success();
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

/// Connects a client, says `word`, and checks the echo: then the server is serving it.
#[cfg(unix)]
fn served_client(addr: std::net::SocketAddr, word: &str) -> std::net::TcpStream {
    use std::io::{BufRead, Write};
    let mut client = std::net::TcpStream::connect(addr).expect("connect");
    client.set_read_timeout(Some(common::TIMEOUT)).unwrap();
    writeln!(client, "{word}").unwrap();
    let mut reply = String::new();
    std::io::BufReader::new(&client)
        .read_line(&mut reply)
        .expect("an echo");
    assert_eq!(reply, format!("echo: {word}\n"));
    client
}

fn check_signals_demo(run: common::Run) {
    let run = run.success();
    let lines = run.lines();
    assert!(
        lines[0].starts_with("listening on 127.0.0.1:"),
        "{lines:#?}"
    );
    assert_eq!(
        lines[1..],
        [
            "1 s passed: stopping 0 open connection(s)",
            "(press Ctrl-C to stop at once)",
            "every connection closed in time: true",
        ]
    );
}

#[test]
fn signals_demo_stops_by_itself() {
    check_signals_demo(common::run("ch04-17-signals", &[]));
}

#[test]
#[cfg(unix)] // the twin uses `loop.add_signal_handler`, which Python has on Unix only
fn python_signals_demo_stops_by_itself() {
    if let Some(run) = common::python("ch04-17-signals.py") {
        check_signals_demo(run);
    }
}

/// "The receivers come first": the listing installs its handlers before it prints its address,
/// so a signal sent once "listening on" is read never meets the default action. Traced with
/// `strace` (the program's own process, from its last `execve`: `python3` may be a shim), the
/// `rt_sigaction` that installs a handler (an address, not `SIG_DFL` or `SIG_IGN`) comes
/// before the `write` of that line. A listing that makes its receivers after the `println!`
/// (a twin that calls `add_signal_handler` after its `print`) passes the tests that send
/// signals, which come later in practice; it fails here. The twin's `SIGINT` has Python's
/// own handler from the start, so only its `SIGTERM` tells. Skipped where `strace` cannot run.
#[cfg(target_os = "linux")]
#[test]
fn signals_handlers_are_installed_before_listening_on() {
    let rust = Some(std::process::Command::new(common::example_path(
        "ch04-17-signals",
    )));
    let python = common::twin_command("ch04-17-signals.py");
    for (program, signals) in [(rust, &["SIGINT", "SIGTERM"][..]), (python, &["SIGTERM"])] {
        let Some(program) = program else { continue };
        let options = ["-e", "trace=execve,rt_sigaction,write"];
        let Some((run, text)) = common::traced("ch04-17-handlers", &options, &program) else {
            return;
        };
        check_signals_demo(run);
        let calls: Vec<&str> = text.lines().collect();
        let listening = calls
            .iter()
            .position(|c| c.starts_with(r#"write(1, "listening on"#))
            .unwrap_or_else(|| panic!("no \"listening on\" in the trace:\n{text}"));
        let before = &calls[..listening];
        let start = before
            .iter()
            .rposition(|c| c.starts_with("execve("))
            .unwrap_or(0);
        for signal in signals {
            let install = format!("rt_sigaction({signal}, {{sa_handler=0x");
            let installed = before[start..].iter().any(|c| c.starts_with(&install));
            assert!(
                installed,
                "no {signal} handler before \"listening on\":\n{text}"
            );
        }
    }
}

/// The demo's end is one instant, `demo_end`, that every turn of the accept loop waits for
/// again: clients that keep connecting do not push it back. A client connects every 200 ms
/// until one is refused (the listener is dropped at the stop). A listing that waited a fresh
/// `sleep(1 s)` on each turn would start its second over at every accept, and never stop while
/// the clients come: no client is refused within the tests' timeout.
#[test]
#[cfg(unix)] // `Live` (the twin uses `loop.add_signal_handler`, which Python has on Unix only)
fn demo_stops_on_time_while_clients_keep_connecting() {
    for python in [false, true] {
        let Some(server) = common::Live::start("ch04-17-signals", python, &[]) else {
            return;
        };
        let addr = server.address();
        let start = std::time::Instant::now();
        let mut clients = Vec::new();
        let refused = loop {
            match std::net::TcpStream::connect(addr) {
                Ok(client) => clients.push(client),
                Err(e) => break e.kind(),
            }
            let which = format!("the Python twin: {python}");
            assert!(start.elapsed() < common::TIMEOUT, "{which}: never stopped");
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(refused, std::io::ErrorKind::ConnectionRefused);
        let (status, lines) = server.finish();
        assert!(status.success(), "{status:?} {lines:#?}");
        assert!(lines[0].starts_with("1 s passed: stopping "), "{lines:#?}");
        assert_eq!(
            lines.last().unwrap(),
            "every connection closed in time: true"
        );
    }
}

#[test]
#[cfg(unix)] // Windows has no SIGTERM (the listing says what it does there)
fn sigterm_and_ctrl_c_stop_the_server_gracefully() {
    for python in [false, true] {
        for (signal, name) in [("TERM", "SIGTERM"), ("INT", "Ctrl-C")] {
            let Some(server) = common::Live::start("ch04-17-signals", python, &["serve"]) else {
                return;
            };
            let addr = server.address();
            if name == "SIGTERM" {
                // Run with `serve`, the server waits for a signal, however long it takes: past
                // the demo's 1 s, it still serves. (Without the demo branch's `, if !serve`,
                // or with the twin's `1` for `None`, it stops by itself after 1 s.)
                std::thread::sleep(std::time::Duration::from_millis(1500));
            }
            let mut client = served_client(addr, "hello");
            server.signal(signal);
            let mut rest = String::new();
            std::io::Read::read_to_string(&mut client, &mut rest).unwrap();
            let which = format!("after {name}, the Python twin: {python}");
            assert_eq!(rest, "bye: shutting down\n", "{which}");
            // The listener is closed before the goodbyes: a new client is refused.
            let refused = std::net::TcpStream::connect(addr).err().map(|e| e.kind());
            let want = Some(std::io::ErrorKind::ConnectionRefused);
            assert_eq!(refused, want, "a client after the stop, {which}");
            let (status, lines) = server.finish();
            assert!(status.success(), "{which}: {status:?} {lines:#?}");
            assert_eq!(
                lines,
                [
                    format!("{name}: stopping 1 open connection(s)"),
                    "(press Ctrl-C to stop at once)".into(),
                    "every connection closed in time: true".into(),
                ],
                "{which}"
            );
        }
    }
}

/// The largest value of a Linux sysctl that holds "min default max".
#[cfg(target_os = "linux")]
fn sysctl_max(path: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.split_whitespace().last().unwrap().parse().unwrap()
}

/// A client that sends a line of `size` bytes (returned), then `after`, and does not read its
/// echo: the server's `write_all` stops once the buffers between them are full (the server's
/// send buffer is at most tcp_wmem's max; this client's receive buffer is made small), and waits
/// there. Returns once the client has read the echo's first byte ("e"): the echo has begun.
#[cfg(target_os = "linux")]
fn stuck_in_an_echo(addr: std::net::SocketAddr, after: &[u8]) -> (std::net::TcpStream, usize) {
    use std::io::{Read, Write};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let mut client = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let stream = socket.connect(addr).await.expect("connect");
        let stream = stream.into_std().unwrap();
        stream.set_nonblocking(false).unwrap();
        stream
    });
    let size = 2 * sysctl_max("/proc/sys/net/ipv4/tcp_wmem") + (1 << 20);
    let mut lines = vec![b'x'; size];
    lines.push(b'\n');
    lines.extend_from_slice(after);
    client.write_all(&lines).unwrap();
    client.set_read_timeout(Some(common::TIMEOUT)).unwrap();
    let mut first = [0; 1];
    client.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"e", "the echo has begun");
    (client, size)
}

#[test]
#[cfg(target_os = "linux")] // a signal, and the socket buffers' size read in /proc
fn a_second_ctrl_c_ends_a_drain_that_waits() {
    let server = common::Live::start("ch04-17-signals", false, &["serve"]).unwrap();
    let addr = server.address();
    // The client stays connected (`_client` lives to the end) with its echo stuck.
    let (_client, _) = stuck_in_an_echo(addr, b"");
    // Now the connection is inside a reply that cannot end: the drain would wait 10 s.
    server.signal("INT");
    assert_eq!(server.line(), "Ctrl-C: stopping 1 open connection(s)");
    assert_eq!(server.line(), "(press Ctrl-C to stop at once)");
    // The drain cannot end before the second Ctrl-C, so the server is surely still running:
    // a new client is refused because the listener was closed, not because the process has
    // exited (the SIGTERM test above cannot tell those apart: its server exits at once).
    let refused = std::net::TcpStream::connect(addr).err().map(|e| e.kind());
    let want = Some(std::io::ErrorKind::ConnectionRefused);
    assert_eq!(refused, want, "a client during the drain");
    server.signal("INT");
    let (status, lines) = server.finish();
    assert_eq!(lines, ["Ctrl-C again: exiting now"]);
    assert_eq!(status.code(), Some(130), "{status:?}");
}

/// The same for the Python twin, which the page says takes a second Ctrl-C like the Rust one.
/// Its `readline` refuses lines over 64 KiB, so `stuck_in_an_echo`'s long line does not work
/// here: the client sends short lines without reading until a write has waited 1 s. Then the
/// server has stopped reading, which it does only inside an echo's `drain()`, and it stays
/// there, since the client never reads. Were the server only held up (a loaded machine), the
/// drain could end at once: such a run shows nothing and is tried again.
#[test]
#[cfg(target_os = "linux")] // a signal, as the test above
fn python_a_second_ctrl_c_ends_a_drain_that_waits() {
    use std::io::Write;
    for _ in 0..5 {
        let Some(server) = common::Live::start("ch04-17-signals", true, &["serve"]) else {
            return;
        };
        let addr = server.address();
        let mut client = std::net::TcpStream::connect(addr).expect("connect");
        client
            .set_write_timeout(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        let line = [&[b'x'; 1023][..], b"\n"].concat();
        let stuck = loop {
            match client.write_all(&line) {
                Ok(()) => continue,
                Err(e) => break e.kind(),
            }
        };
        assert_eq!(stuck, std::io::ErrorKind::WouldBlock, "a write waits");
        server.signal("INT");
        assert_eq!(server.line(), "Ctrl-C: stopping 1 open connection(s)");
        assert_eq!(server.line(), "(press Ctrl-C to stop at once)");
        server.signal("INT");
        let (status, lines) = server.finish();
        if status.success() && lines == ["every connection closed in time: true"] {
            continue; // the echo was not stuck after all: nothing shown
        }
        assert_eq!(lines, ["Ctrl-C again: exiting now"], "{status:?}");
        assert_eq!(status.code(), Some(130), "{status:?}");
        return;
    }
    panic!("in 5 runs, the server's echo never stayed stuck");
}

/// `biased;` makes a stop that has come win over a line that is waiting (the shutdown page's
/// third step: "a connection that finds the stop given starts no new request, even with a line
/// waiting"). A client sends a
/// long line, then "two", and does not read: the server is inside its echo of the long line
/// when Ctrl-C comes. Only once the stop has been given (the server printed the line that
/// follows `stop.cancel()`) does the client read: the echo ends, and the connection's `select!`
/// finds the stop ready, with "two" waiting behind it. With `biased;` the stop wins on every
/// run: the client gets the goodbye and never the echo of "two". Without it, `select!` starts
/// at a random branch, and each run echoes "two" with a chance of one in two; 10 runs all miss
/// it with a chance of one in 1024.
#[test]
#[cfg(target_os = "linux")] // a signal, and the socket buffers' size read in /proc
fn a_stop_that_has_come_wins_over_a_waiting_line() {
    use std::io::Read;
    for run in 1..=10 {
        let server = common::Live::start("ch04-17-signals", false, &["serve"]).unwrap();
        let addr = server.address();
        // A long line, then "two": the echo of the long line has begun and waits.
        let (mut client, size) = stuck_in_an_echo(addr, b"two\n");
        server.signal("INT");
        assert_eq!(server.line(), "Ctrl-C: stopping 1 open connection(s)");
        assert_eq!(server.line(), "(press Ctrl-C to stop at once)");
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).unwrap();
        let expected = [&b"cho: "[..], &vec![b'x'; size], b"\nbye: shutting down\n"].concat();
        assert!(
            rest == expected,
            "run {run}: after the echo of the long line, {:?} instead of only the goodbye",
            String::from_utf8_lossy(&rest[rest.len().min(5 + size + 1)..])
        );
        let (status, lines) = server.finish();
        assert!(status.success(), "run {run}: {status:?} {lines:#?}");
        assert_eq!(
            lines,
            ["every connection closed in time: true"],
            "run {run}"
        );
    }
}

/// Lowers the server's limit on open files once it runs, so that accepting a second client
/// fails with EMFILE; then frees a file, and checks that the second client is served.
/// `error` is what the server writes on stderr for the failed `accept`.
#[cfg(target_os = "linux")]
fn accept_fails_then_the_server_accepts_again(python: bool, error: &str) {
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("no prlimit on this machine: skipping the accept-error test");
        return;
    }
    let Some(server) = common::Live::start("ch04-17-signals", python, &["serve"]) else {
        return;
    };
    let addr = server.address();
    // Room for exactly one more file descriptor in the server: its first client's socket.
    let pid = server.child.id();
    let fds: Vec<u32> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
        .collect();
    // A new descriptor takes the lowest free number, and must be below the limit.
    let lowest_free = (0..).find(|n| !fds.contains(n)).unwrap();
    let limit = format!("--nofile={}:", lowest_free + 1);
    let status = std::process::Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &limit])
        .status()
        .unwrap();
    assert!(status.success(), "prlimit {limit} failed");
    let first = served_client(addr, "one");
    // The second connection waits in the kernel's queue; accepting it fails (EMFILE).
    let mut second = std::net::TcpStream::connect(addr).unwrap();
    server.stderr_until(error);
    // The first client leaves: its socket in the server is closed, and the next try works.
    drop(first);
    {
        use std::io::{BufRead, Write};
        second.set_read_timeout(Some(common::TIMEOUT)).unwrap();
        writeln!(second, "two").unwrap();
        let mut reply = String::new();
        std::io::BufReader::new(&second)
            .read_line(&mut reply)
            .expect("the second client is served after the error");
        assert_eq!(reply, "echo: two\n");
    }
    server.signal("TERM");
    let (status, lines) = server.finish();
    assert!(status.success(), "{status:?} {lines:#?}");
    assert_eq!(lines[0], "SIGTERM: stopping 1 open connection(s)");
}

#[test]
#[cfg(target_os = "linux")] // prlimit, and the server's descriptors read in /proc
fn accept_fails_then_the_server_accepts_again_rust() {
    accept_fails_then_the_server_accepts_again(false, "(os error 24); trying again");
}

#[test]
#[cfg(target_os = "linux")] // as the test above
fn python_start_server_retries_accept_by_itself() {
    // asyncio logs "socket.accept() out of system resource" with the error, and tries again
    // one second later.
    accept_fails_then_the_server_accepts_again(true, "[Errno 24] Too many open files");
}
