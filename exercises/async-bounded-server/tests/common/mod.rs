//! What the tests share: the server under test on a runtime of its own, jobs that report what
//! they do, clients with blocking sockets, and a runner with a time limit.
//!
//! No test depends on how fast the machine is. The jobs never take a fixed time when the test
//! needs to know that they are running: a `hold` job runs until the test releases it, a
//! `meet N` job until N jobs run at once. The tests wait for what they need (a job has started,
//! a connection was closed), never for a fixed time, and every wait has a generous bound.

#![allow(dead_code)] // each test file uses its own part of this module

use std::fmt;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use exercise_async_bounded_server::{Stopped, serve, serve_with_idle_timeout};
use tokio::sync::{oneshot, watch};

/// How long a test may take in all before it fails as "not finished".
pub const LIMIT: Duration = Duration::from_secs(15);

/// How long a test waits for something that a correct server does at once (a reply, the end of
/// a connection, `serve` returning after the shutdown).
pub const WAIT: Duration = Duration::from_secs(5);

/// A grace period that no test reaches: their jobs end when the test says so.
pub const GRACE: Duration = Duration::from_secs(60);

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What the jobs did so far.
#[derive(Default, Clone, Copy, Debug)]
pub struct Counts {
    /// Jobs running now.
    pub running: usize,
    /// The most jobs that ever ran at the same time.
    pub most: usize,
    pub started: usize,
    pub finished: usize,
    /// Jobs that were dropped before they finished.
    pub cancelled: usize,
    /// Whether the `hold` jobs may finish.
    pub released: bool,
    /// Whether a `meet` job gave up waiting for the others.
    pub gave_up: bool,
}

/// The record of the jobs, shared by the handler (on the server's runtime) and the test.
#[derive(Default)]
pub struct Jobs {
    counts: watch::Sender<Counts>,
}

impl Jobs {
    pub fn now(&self) -> Counts {
        *self.counts.borrow()
    }

    /// Lets every `hold` job (running or to come) finish.
    pub fn release(&self) {
        self.counts.send_modify(|c| c.released = true);
    }

    /// Waits, on the test's thread, until `ready` holds; fails, saying `what` did not happen,
    /// if it does not within [`WAIT`].
    pub fn wait_until(&self, what: &str, ready: impl Fn(&Counts) -> bool) -> Counts {
        let start = Instant::now();
        loop {
            let counts = self.now();
            if ready(&counts) {
                return counts;
            }
            assert!(
                start.elapsed() < WAIT,
                "{what} did not happen within {WAIT:?}"
            );
            thread::sleep(ms(1));
        }
    }

    async fn until(&self, ready: impl FnMut(&Counts) -> bool) {
        let _ = self.counts.subscribe().wait_for(ready).await;
    }
}

/// A job in progress: counted as running from `start` until it is dropped, as finished if it
/// got to `finish`, as cancelled if not.
struct Job<'a> {
    jobs: &'a Jobs,
    done: bool,
}

impl<'a> Job<'a> {
    fn start(jobs: &'a Jobs) -> Job<'a> {
        jobs.counts.send_modify(|c| {
            c.started += 1;
            c.running += 1;
            c.most = c.most.max(c.running);
        });
        Job { jobs, done: false }
    }

    fn finish(mut self) {
        self.done = true;
    }
}

impl Drop for Job<'_> {
    fn drop(&mut self) {
        let done = self.done;
        self.jobs.counts.send_modify(|c| {
            c.running -= 1;
            if done {
                c.finished += 1;
            } else {
                c.cancelled += 1;
            }
        });
    }
}

pub type Handler =
    Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync>;

/// The job handler of the tests. The reply to a line is `done: LINE`, after:
///
/// - `hold ...`: waiting until the test calls [`Jobs::release`];
/// - `hang ...`: never (the job never ends);
/// - `sleep N ...`: N ms on tokio's timer;
/// - `meet N [P] ...`: waiting until N jobs run at the same time. If that has not happened
///   after P ms (5 s if not given), the job gives up (and so does every `meet` job after it),
///   and the reply is `gave up: LINE`;
/// - anything else: nothing.
pub fn handler(jobs: &Arc<Jobs>) -> Handler {
    let jobs = jobs.clone();
    Box::new(move |line: String| {
        let jobs = jobs.clone();
        Box::pin(async move {
            let job = Job::start(&jobs);
            let words: Vec<&str> = line.split_whitespace().collect();
            let number = |i: usize| words.get(i).and_then(|w| w.parse::<u64>().ok());
            let mut outcome = "done";
            match words.first() {
                Some(&"hold") => jobs.until(|c| c.released).await,
                Some(&"hang") => std::future::pending().await,
                Some(&"sleep") => tokio::time::sleep(ms(number(1).unwrap_or(0))).await,
                Some(&"meet") => {
                    let want = number(1).unwrap_or(1) as usize;
                    let patience = number(2).map_or(WAIT, ms);
                    let meeting = jobs.until(|c| c.most >= want || c.gave_up);
                    let _ = tokio::time::timeout(patience, meeting).await;
                    if jobs.now().most < want {
                        jobs.counts.send_modify(|c| c.gave_up = true);
                        outcome = "gave up";
                    }
                }
                _ => {}
            }
            job.finish();
            format!("{outcome}: {line}")
        })
    })
}

/// What the server thread saw the moment `serve` returned.
struct Returned {
    stopped: Stopped,
    /// Tasks still alive in the server's runtime: the server's own, since the test spawns none.
    alive: usize,
    /// Jobs still running.
    running: usize,
}

/// A server under test, on a single-threaded runtime on a thread of its own.
pub struct Server {
    pub addr: SocketAddr,
    pub jobs: Arc<Jobs>,
    /// The id of the server's thread, as the kernel knows it (Linux; 0 elsewhere).
    tid: u32,
    shutdown: Option<oneshot::Sender<()>>,
    returned: mpsc::Receiver<Returned>,
    thread: Option<thread::JoinHandle<()>>,
    /// Dropped at the end of the test: only then does the server's runtime stop.
    _finish: oneshot::Sender<()>,
}

/// Starts `serve(listener, limit, grace, handler, shutdown)`.
pub fn start(limit: usize, grace: Duration) -> Server {
    start_with(limit, grace, None)
}

/// Starts `serve_with_idle_timeout(listener, limit, grace, idle, handler, shutdown)`.
pub fn start_with_idle_timeout(limit: usize, grace: Duration, idle: Duration) -> Server {
    start_with(limit, grace, Some(idle))
}

fn start_with(limit: usize, grace: Duration, idle: Option<Duration>) -> Server {
    let jobs = Arc::new(Jobs::default());
    let (shutdown, asked) = oneshot::channel::<()>();
    let (finish, finished) = oneshot::channel::<()>();
    let (ready, addr) = mpsc::channel();
    let (done, returned) = mpsc::channel();
    let handle = handler(&jobs);
    let record = jobs.clone();
    let thread = thread::spawn(move || {
        // One thread: when `serve` returns, every task it spawned and awaited has really ended
        // (on several threads, a task that ended may still be counted alive for a moment).
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready
                .send((listener.local_addr().unwrap(), this_thread()))
                .unwrap();
            let asked = async {
                let _ = asked.await;
            };
            let stopped = match idle {
                None => serve(listener, limit, grace, handle, asked).await,
                Some(idle) => {
                    serve_with_idle_timeout(listener, limit, grace, idle, handle, asked).await
                }
            };
            let alive = tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks();
            let running = record.now().running;
            let _ = done.send(Returned {
                stopped,
                alive,
                running,
            });
            // The runtime runs on until the test is over: what the server left behind would go
            // on too (and the test would see it), instead of being dropped with the runtime.
            let _ = finished.await;
        });
    });
    let (addr, tid) = addr.recv_timeout(WAIT).expect("the server did not start");
    Server {
        addr,
        jobs,
        tid,
        shutdown: Some(shutdown),
        returned,
        thread: Some(thread),
        _finish: finish,
    }
}

impl Server {
    /// Completes the `shutdown` future that `serve` was given.
    pub fn shut_down(&mut self) {
        let _ = self.shutdown.take().expect("shut down twice").send(());
    }

    /// Called after the shutdown, before the test releases a running job: leaves a server that
    /// would wrongly cancel a running job at the stop the time to do it. It waits until a job
    /// was cancelled, or until 200 ms have passed and the server's thread has been seen asleep
    /// twice in a row, 1 ms apart (its runtime had nothing left to run: whatever the stop
    /// made it do is done), or [`WAIT`] at most. A correct server does nothing meanwhile: this
    /// wait only makes sure that a wrong one is caught, even on a machine so busy that the
    /// server's thread did not run for the first 200 ms.
    pub fn let_the_stop_sink_in(&self) {
        let start = Instant::now();
        let mut asleep_before = false;
        while self.jobs.now().cancelled == 0 && start.elapsed() < WAIT {
            let asleep = thread_asleep(self.tid);
            if asleep && asleep_before && start.elapsed() >= ms(200) {
                return;
            }
            asleep_before = asleep;
            thread::sleep(ms(1));
        }
    }

    /// Waits for `serve` to return, and checks that nothing of it was left running then: no job,
    /// no task. Returns what `serve` returned.
    pub fn returned(&mut self) -> Stopped {
        let returned = match self.returned.recv_timeout(WAIT) {
            Ok(returned) => returned,
            Err(RecvTimeoutError::Timeout) => {
                panic!("serve had not returned {WAIT:?} after the shutdown")
            }
            Err(RecvTimeoutError::Disconnected) => {
                let thread = self.thread.take().expect("serve returned once");
                let payload = thread.join().expect_err("the server's thread panicked");
                std::panic::resume_unwind(payload)
            }
        };
        assert!(
            returned.running == 0,
            "serve returned while {} job(s) were still running",
            returned.running
        );
        assert!(
            returned.alive == 0,
            "serve returned while {} task(s) it had spawned were still alive: nothing of the \
             server may run after serve has returned",
            returned.alive
        );
        returned.stopped
    }

    /// Like [`Server::returned`], and `serve` must have said [`Stopped::Gracefully`].
    pub fn returned_gracefully(&mut self) {
        let stopped = self.returned();
        assert!(
            stopped == Stopped::Gracefully,
            "serve returned {stopped:?}, though every job had finished in time; expected \
             Stopped::Gracefully"
        );
    }
}

/// This thread's id, as the kernel knows it (Linux; 0 elsewhere).
fn this_thread() -> u32 {
    // `/proc/thread-self` is a link to `/proc/PID/task/TID`.
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|link| link.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

/// Whether thread `tid` of this process sleeps (blocked: a runtime waiting for events, say),
/// from its state in `/proc` (Linux). Elsewhere, where std cannot tell, always `true`.
fn thread_asleep(tid: u32) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let Ok(stat) = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")) else {
        return true; // the thread has ended
    };
    // `TID (NAME) STATE ...`: the name may hold spaces and parentheses: split after the last `)`.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    state == Some('S')
}

/// What a client heard from the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    Reply(String),
    /// The end of the connection (or a reset).
    Closed,
    /// Nothing, for [`WAIT`].
    Nothing,
}

impl Heard {
    pub fn reply(text: &str) -> Heard {
        Heard::Reply(text.to_string())
    }
}

impl fmt::Display for Heard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Heard::Reply(line) => write!(f, "the reply {line:?}"),
            Heard::Closed => write!(f, "the end of the connection"),
            Heard::Nothing => write!(f, "nothing for {WAIT:?}"),
        }
    }
}

/// A client: connects, and sends lines and reads replies with blocking calls.
pub struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    pub fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr)
            .unwrap_or_else(|err| panic!("a client could not connect to the server: {err}"));
        stream.set_read_timeout(Some(WAIT)).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    /// Sends `line`. (If the server has closed the connection, the next [`Client::hear`]
    /// says so.)
    pub fn send(&mut self, line: &str) {
        let _ = writeln!(self.reader.get_mut(), "{line}");
    }

    /// The next reply, or the end of the connection, or nothing for [`WAIT`].
    pub fn hear(&mut self) -> Heard {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => Heard::Closed,
            Ok(_) => Heard::Reply(line.trim_end().to_string()),
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Heard::Nothing
            }
            Err(_) => Heard::Closed, // reset by the server
        }
    }

    pub fn ask(&mut self, line: &str) -> Heard {
        self.send(line);
        self.hear()
    }

    /// Sends `line`, and fails unless the reply is `done: LINE`.
    pub fn ask_ok(&mut self, line: &str) {
        let heard = self.ask(line);
        let expected = format!("done: {line}");
        assert!(
            heard == Heard::Reply(expected.clone()),
            "a client sent {line:?} and got {heard}; expected the reply {expected:?}"
        );
    }

    /// Fails unless the server closes this idle client's connection after the shutdown.
    pub fn closed_by_the_shutdown(&mut self) {
        let heard = self.hear();
        assert!(
            heard == Heard::Closed,
            "after the shutdown, an idle client got {heard}; expected the end of its connection"
        );
    }
}

/// Clients on threads of their own: `clients(n, addr, line)` connects `n` clients at once, each
/// sends `line(i)` and returns what it heard.
pub fn clients(
    n: usize,
    addr: SocketAddr,
    line: impl Fn(usize) -> String,
) -> Vec<thread::JoinHandle<Heard>> {
    (0..n)
        .map(|i| {
            let line = line(i);
            thread::spawn(move || Client::connect(addr).ask(&line))
        })
        .collect()
}

/// What a client thread heard (a panic in it goes on in the test).
pub fn heard(client: thread::JoinHandle<Heard>) -> Heard {
    client
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
}

/// Runs `test` on a thread of its own, and fails if it panics or has not finished within
/// [`LIMIT`]. (A panic keeps its own message.)
pub fn within(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => {}
        Err(RecvTimeoutError::Timeout) => panic!("the test had not finished after {LIMIT:?}"),
        Err(RecvTimeoutError::Disconnected) => {
            let payload = runner.join().expect_err("the test thread panicked");
            std::panic::resume_unwind(payload);
        }
    }
}
