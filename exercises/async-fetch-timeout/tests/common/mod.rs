//! What the tests share: servers on 127.0.0.1 and a runner with a time limit.
//!
//! The servers are plain threads with blocking sockets, apart from the client's runtime, so they
//! keep working whatever the client does. They never take a fixed time: each answers at once,
//! or when the test's condition is met (the other requests have arrived, another server has
//! answered), or never. Tests that check deadlines run on a paused tokio clock (see
//! [`within_paused`]), so no test depends on how fast the machine is.

#![allow(dead_code)] // each test file uses its own part of this module

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// How long a test may take in all before it fails as "not finished" (a client that never
/// returns fails instead of hanging).
pub const LIMIT: Duration = Duration::from_secs(10);

/// How long a server or a test waits for something that a correct client does at once.
pub const WAIT: Duration = Duration::from_secs(5);

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A server that takes one connection, reads the request line, runs `before`, answers `body`
/// (or `bad request: ...` to anything but `GET /`), closes its side of the connection (the
/// answer is complete), then runs `after` once the client has hung up: by then the client has
/// read the whole answer and is done with it (or it hung up early, or [`WAIT`] has passed).
pub fn server_with(
    body: impl Into<Vec<u8>>,
    before: impl FnOnce() + Send + 'static,
    after: impl FnOnce() + Send + 'static,
) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let body = body.into();
    thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream);
        let mut request = String::new();
        let _ = reader.read_line(&mut request);
        before();
        let answer = if request == "GET /\n" {
            body
        } else {
            format!("bad request: {request:?}").into_bytes()
        };
        let mut stream = reader.into_inner();
        let _ = stream.write_all(&answer);
        let _ = stream.shutdown(Shutdown::Write); // the answer is complete
        // Reads return nothing until the client closes the connection, then 0 (or an error).
        let _ = stream.set_read_timeout(Some(WAIT));
        let _ = std::io::copy(&mut stream, &mut std::io::sink());
        drop(stream);
        after();
    });
    addr
}

/// A server that answers `body` as soon as the request has come.
pub fn server(body: impl Into<Vec<u8>>) -> SocketAddr {
    server_with(body, || {}, || {})
}

/// A server that takes one connection, reads the request, and never answers; it reports on
/// the channel when the client has hung up (closed the connection).
pub fn silent_server() -> (SocketAddr, mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    let addr = listener.local_addr().unwrap();
    let (hung_up, report) = mpsc::channel();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut buffer = [0; 64];
        // Reads return data until the client closes the connection, then 0 (or an error).
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
        }
        let _ = hung_up.send(());
    });
    (addr, report)
}

/// An address where nobody listens, with the socket that holds it: bound to the port but not
/// listening, so a connection is refused. The port stays taken as long as the socket lives, so
/// no other test, running in parallel, can start a server on it meanwhile.
pub fn closed_port() -> (SocketAddr, tokio::net::TcpSocket) {
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

/// Servers that each hold their answer until `want` of their requests are in progress at the
/// same time (or, if that never happens, until their patience has run out: then they give up
/// waiting, all of them, and answer at once). A request is "in progress" from the moment the
/// server has read it to the moment it starts writing the answer.
pub struct Meeting {
    want: usize,
    patience: Duration,
    state: Mutex<MeetingState>,
    changed: Condvar,
}

#[derive(Default, Clone, Copy, Debug)]
pub struct MeetingState {
    /// Requests in progress now.
    pub now: usize,
    /// The most that were ever in progress at the same time.
    pub most: usize,
    /// Whether the servers gave up waiting for `want` requests at once.
    pub gave_up: bool,
}

impl Meeting {
    /// A meeting whose servers wait for [`WAIT`] at most.
    pub fn new(want: usize) -> Arc<Meeting> {
        Meeting::with_patience(want, WAIT)
    }

    pub fn with_patience(want: usize, patience: Duration) -> Arc<Meeting> {
        Arc::new(Meeting {
            want,
            patience,
            state: Mutex::default(),
            changed: Condvar::new(),
        })
    }

    /// A server of the meeting, answering `body`.
    pub fn server(self: &Arc<Self>, body: &str) -> SocketAddr {
        let meeting = self.clone();
        server_with(body, move || meeting.arrive(), || {})
    }

    fn arrive(&self) {
        let mut state = self.state.lock().unwrap();
        state.now += 1;
        state.most = state.most.max(state.now);
        self.changed.notify_all();
        let (mut state, waited) = self
            .changed
            .wait_timeout_while(state, self.patience, |s| s.most < self.want && !s.gave_up)
            .unwrap();
        if waited.timed_out() {
            state.gave_up = true;
            self.changed.notify_all();
        }
        state.now -= 1; // before the answer is written: the client cannot have it yet
    }

    pub fn state(&self) -> MeetingState {
        *self.state.lock().unwrap()
    }
}

/// What a result shows as, in a failure message: the answer in quotes, or the error
/// (`TimedOut`, `Io(...)`).
pub fn show<E: std::fmt::Debug>(result: &Result<String, E>) -> String {
    match result {
        Ok(answer) => format!("{answer:?}"),
        Err(err) => format!("{err:?}"),
    }
}

/// Runs `test` on a single-threaded tokio runtime, on a thread of its own, and fails if it
/// panics or has not finished within [`LIMIT`]; `what` says what should have finished. (A
/// client that blocks the runtime's thread would stop a `tokio::time::timeout` in the test
/// too: a plain thread and a plain channel keep the time here.)
pub fn within(what: &str, test: impl Future<Output = ()> + Send + 'static) {
    run(false, what, test);
}

/// Like [`within`], on a runtime whose clock is paused: tokio's time stands still while
/// something runs, and when every task waits, it jumps straight to the next timer. So a
/// deadline of 400 ms ends at exactly 400 ms on that clock, however busy the machine is, and
/// the test can compare the time `fetch_all` took with its limit exactly. The servers of such a
/// test never answer (an answer would race with the jumping clock).
pub fn within_paused(what: &str, test: impl Future<Output = ()> + Send + 'static) {
    run(true, what, test);
}

fn run(paused: bool, what: &str, test: impl Future<Output = ()> + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(paused)
            .build()
            .expect("a tokio runtime");
        runtime.block_on(test);
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("{what} had not finished after {LIMIT:?}"),
        Err(RecvTimeoutError::Disconnected) => {
            let payload = runner.join().expect_err("the test thread panicked");
            std::panic::resume_unwind(payload);
        }
    }
}
