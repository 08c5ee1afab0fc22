//! What "correct" means for the async client. Run with `cargo xtask check async-fetch-timeout`.
//!
//! The servers are plain threads with blocking sockets on 127.0.0.1, apart from the client's
//! runtime, so they keep working whatever the client does. Every test runs under a time limit,
//! so a client that never returns fails instead of hanging, and every failure ends with a hint.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use exercise_async_fetch_timeout::{FetchError, fetch, fetch_all};

const LIMIT: Duration = Duration::from_secs(5);

/// A server that takes one connection, reads the request line, waits `delay`, answers `body`
/// and closes the connection. It answers `bad request: ...` to anything but `GET /`.
fn server(body: &str, delay: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let body = body.to_string();
    thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream);
        let mut request = String::new();
        let _ = reader.read_line(&mut request);
        thread::sleep(delay);
        let answer = if request == "GET /\n" {
            body
        } else {
            format!("bad request: {request:?}")
        };
        let _ = reader.get_mut().write_all(answer.as_bytes());
    }); // the stream is dropped here: the connection closes
    addr
}

/// A server that takes one connection, reads the request, and never answers; it reports the
/// moment the client hung up (closed the connection).
fn silent_server() -> (SocketAddr, mpsc::Receiver<Instant>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let (hung_up, when) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut buffer = [0; 64];
        // Reads return data until the client closes the connection, then 0 (or an error).
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
        }
        let _ = hung_up.send(Instant::now());
    });
    (addr, when)
}

/// An address where nobody listens, with the socket that holds it: bound to the port but not
/// listening, so a connection is refused. The port stays taken as long as the socket lives, so
/// no other test, running in parallel, can start a server on it meanwhile.
fn closed_port() -> (SocketAddr, tokio::net::TcpSocket) {
    let socket = tokio::net::TcpSocket::new_v4().expect("create a socket");
    let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
    socket.bind(any_port).expect("bind a port on 127.0.0.1");
    let addr = socket.local_addr().unwrap();
    assert!(
        TcpListener::bind(addr).is_err(),
        "{addr} is free: another test could take it"
    );
    (addr, socket)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn fetch_sends_the_request_and_reads_the_whole_answer() {
    within(
        "connect with `TcpStream::connect(addr).await?`, send the request with `write_all`, \
         then `read_to_string`: it reads until the server closes the connection, however many \
         pieces the answer comes in.",
        async {
            let long = "lorem ipsum ".repeat(20_000); // 240 kB: more than one read
            let answer = fetch(server(&long, ms(0))).await.expect("fetch failed");
            assert!(
                answer == long,
                "got {} bytes instead of {}, starting with {:?}",
                answer.len(),
                long.len(),
                &answer[..answer.len().min(40)]
            );
            let (refused, _held) = closed_port();
            let err = fetch(refused).await.expect_err("nobody listens there");
            assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
        },
    );
}

#[test]
fn the_answers_come_back_in_the_order_of_the_servers() {
    within(
        "keep one result per address, in the order of `addrs`, whichever answers first: \
         await the fetches in that order (or put each result back at its index).",
        async {
            let addrs = [
                server("first", ms(150)),
                server("second", ms(50)),
                server("third", ms(100)),
            ];
            let results = fetch_all(&addrs, ms(2_000)).await;
            let answers: Vec<&str> = results
                .iter()
                .map(|r| r.as_ref().map(String::as_str).unwrap_or("(an error)"))
                .collect();
            assert_eq!(answers, ["first", "second", "third"]);
        },
    );
}

#[test]
fn the_fetches_run_at_the_same_time() {
    within(
        "start every fetch before waiting for any: `tokio::spawn` one task per server (or \
         poll them together). Awaiting `fetch` for each server in turn takes the sum of their \
         times. And no blocking calls: `std::thread::sleep` or `std::net` would stop the \
         runtime's thread.",
        async {
            let addrs: Vec<_> = ["a", "b", "c"]
                .iter()
                .map(|body| server(body, ms(300)))
                .collect();
            let start = Instant::now();
            let results = fetch_all(&addrs, ms(2_000)).await;
            let elapsed = start.elapsed();
            assert!(results.iter().all(Result::is_ok), "{results:?}");
            assert!(
                elapsed < ms(750),
                "three servers answering after 300 ms each took {elapsed:?} together: about \
                 300 ms was expected, 900 ms means one after the other"
            );
        },
    );
}

#[test]
fn a_slow_server_times_out_and_the_fast_answers_come_back() {
    within(
        "wrap each fetch in `tokio::time::timeout(limit, fetch(addr))`: `Ok(Ok(answer))` came \
         in time, `Ok(Err(e))` failed (`FetchError::Io`), `Err(_)` ran out of time \
         (`FetchError::TimedOut`).",
        async {
            let (slow, _hung_up) = silent_server();
            let addrs = [
                server("quick", ms(20)),
                slow,
                server("fairly quick", ms(100)),
            ];
            let start = Instant::now();
            let results = fetch_all(&addrs, ms(400)).await;
            let elapsed = start.elapsed();
            assert!(
                matches!(
                    &results[..],
                    [Ok(a), Err(FetchError::TimedOut), Ok(b)] if a == "quick" && b == "fairly quick"
                ),
                "expected [Ok(\"quick\"), Err(TimedOut), Ok(\"fairly quick\")], got {results:?}"
            );
            assert!(
                elapsed < ms(1_000),
                "with a limit of 400 ms, fetch_all took {elapsed:?}"
            );
        },
    );
}

#[test]
fn the_slow_fetch_is_cancelled_at_the_deadline() {
    within(
        "a future that is dropped stops, and drops what it owns: the `TcpStream` closes. \
         `timeout` drops the future it wraps at the deadline. But a task started with \
         `tokio::spawn` keeps running when you stop waiting for it: put the `timeout` inside \
         the task, or `abort()` it.",
        async {
            let (slow, hung_up) = silent_server();
            let start = Instant::now();
            let results = fetch_all(&[slow], ms(300)).await;
            assert!(
                matches!(&results[..], [Err(FetchError::TimedOut)]),
                "{results:?}"
            );
            // Wait for the server's report while the runtime still runs (a runtime that shuts
            // down drops its tasks, which would close the connection anyway).
            let report = tokio::task::spawn_blocking(move || hung_up.recv_timeout(ms(1_000)));
            let at = report
                .await
                .unwrap()
                .expect("the client never closed the connection to the silent server");
            let after = at - start;
            assert!(
                after < ms(900),
                "the connection was closed {after:?} after the start, long after the 300 ms limit"
            );
        },
    );
}

#[test]
fn a_refused_connection_is_an_error_not_a_panic() {
    within(
        "turn the `io::Error` of a failed fetch into `FetchError::Io(err)`: one failing server \
         must not stop the others.",
        async {
            let (refused, _held) = closed_port();
            let addrs = [refused, server("still here", ms(10))];
            let results = fetch_all(&addrs, ms(1_000)).await;
            assert!(
                matches!(&results[..], [Err(FetchError::Io(_)), Ok(s)] if s == "still here"),
                "expected [Err(Io(..)), Ok(\"still here\")], got {results:?}"
            );
        },
    );
}

#[test]
fn no_servers_no_results() {
    within("with no addresses, return an empty Vec at once.", async {
        let start = Instant::now();
        assert!(fetch_all(&[], ms(1_000)).await.is_empty());
        assert!(start.elapsed() < ms(500), "took {:?}", start.elapsed());
    });
}

/// Runs `test` on a single-threaded tokio runtime, on a thread of its own, and fails with
/// `hint` if it panics or has not finished within [`LIMIT`]. (A client that blocks the
/// runtime's thread would stop a `tokio::time::timeout` in the test too: a plain thread and a
/// plain channel do the timing here.)
fn within(hint: &str, test: impl Future<Output = ()> + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(test);
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => {
            panic!("not finished after {LIMIT:?}: is something waiting forever?\nhint: {hint}")
        }
        Err(RecvTimeoutError::Disconnected) => {
            let payload = runner.join().expect_err("the test thread panicked");
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("{message}\nhint: {hint}");
        }
    }
}
