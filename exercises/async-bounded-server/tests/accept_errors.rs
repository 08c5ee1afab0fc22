//! An error while accepting a connection is not the end of the server. This test has a file of
//! its own, so that it runs in a process of its own: it uses up the process's file descriptors,
//! which would make any test running beside it fail.

// Unix only: it lowers the limit on open files (setrlimit) until `accept` fails with EMFILE;
// std has no such limit to set on Windows, where this file compiles to nothing.
#![cfg(unix)]

mod common;

use std::fs::File;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use common::{Client, GRACE, Heard, WAIT, start, within};

#[test]
fn an_accept_error_is_logged_and_retried_and_no_client_is_dropped() {
    within(|| {
        let warnings = Warnings::install();
        let mut server = start(4, GRACE);
        let mut busy = Client::connect(server.addr);
        busy.send("hold");
        server
            .jobs
            .wait_until("the start of the job", |c| c.started == 1);
        let mut other = Client::connect(server.addr);
        other.ask_ok("hi");

        // Every file descriptor but one taken, and that one used by a new client: the server
        // has none left to accept it with.
        let taken = AllFileDescriptors::taken_but_one();
        let mut late = Client::connect(server.addr);
        late.send("hello");
        warnings.wait_for_the_first();

        // While accepting fails, the clients already connected are served.
        let heard = other.ask("still there?");
        assert!(
            heard == Heard::reply("done: still there?"),
            "while the server could not accept a connection, a client already connected sent \
             a line and got {heard}; expected its reply"
        );
        // Each failure is followed by a pause of 10 ms or more, so they are at least that far
        // apart (however slow the machine).
        let (count, span) = warnings.so_far();
        assert!(
            count as u128 <= 1 + span.as_millis() / 10,
            "{count} failures to accept a connection were logged within {span:?}: the server \
             tried again without pausing at least 10 ms"
        );

        drop(taken); // the file descriptors are free again
        let heard = late.hear();
        assert!(
            heard == Heard::reply("done: hello"),
            "once file descriptors were free again, the client that could not be accepted got \
             {heard}; expected its reply"
        );
        server.jobs.release();
        let heard = busy.hear();
        assert!(
            heard == Heard::reply("done: hold"),
            "the client whose job was running while accepting failed got {heard}; expected its \
             job's reply"
        );
        server.shut_down();
        server.returned_gracefully();
    });
}

/// The moments at which something was logged at the WARN level (or ERROR), seen by a tracing
/// subscriber of our own.
#[derive(Default)]
struct Warnings {
    at: Mutex<Vec<Instant>>,
    logged: Condvar,
}

impl Warnings {
    fn install() -> Arc<Warnings> {
        let warnings = Arc::new(Warnings::default());
        tracing::subscriber::set_global_default(Recorder(warnings.clone()))
            .expect("install a tracing subscriber");
        warnings
    }

    fn wait_for_the_first(&self) {
        let at = self.at.lock().unwrap();
        let (_at, waited) = self
            .logged
            .wait_timeout_while(at, WAIT, |at| at.is_empty())
            .unwrap();
        assert!(
            !waited.timed_out(),
            "the server logged no warning (with tracing::warn!) within {WAIT:?} of failing to \
             accept a connection"
        );
    }

    /// How many were logged, and the time from the first to the last.
    fn so_far(&self) -> (usize, Duration) {
        let at = self.at.lock().unwrap();
        let span = match (at.first(), at.last()) {
            (Some(first), Some(last)) => *last - *first,
            _ => Duration::ZERO,
        };
        (at.len(), span)
    }
}

struct Recorder(Arc<Warnings>);

impl tracing::Subscriber for Recorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::WARN
    }

    fn event(&self, _event: &tracing::Event<'_>) {
        self.0.at.lock().unwrap().push(Instant::now());
        self.0.logged.notify_all();
    }

    fn new_span(&self, _span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _span: &tracing::span::Id, _values: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _span: &tracing::span::Id, _follows: &tracing::span::Id) {}

    fn enter(&self, _span: &tracing::span::Id) {}

    fn exit(&self, _span: &tracing::span::Id) {}
}

/// Every file descriptor the process may open, but one, held open (on /dev/null) until dropped.
/// The process's limit is lowered first (to 256), so that this takes a moment, not a million
/// files.
struct AllFileDescriptors {
    _files: Vec<File>,
}

impl AllFileDescriptors {
    fn taken_but_one() -> AllFileDescriptors {
        // SAFETY: getrlimit and setrlimit only read and write the struct they are given.
        unsafe {
            let mut limit: libc::rlimit = std::mem::zeroed();
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
            limit.rlim_cur = limit.rlim_cur.min(256);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
        let mut files = Vec::new();
        loop {
            match File::open("/dev/null") {
                Ok(file) => files.push(file),
                Err(err) if err.raw_os_error() == Some(libc::EMFILE) => break,
                Err(err) => panic!("cannot open /dev/null: {err}"),
            }
        }
        files.pop(); // one free
        AllFileDescriptors { _files: files }
    }
}
