//! What "correct" means for the bounded server. Run with `cargo xtask check async-bounded-server`.
//!
//! The clients are plain threads with blocking sockets on 127.0.0.1, apart from the server's
//! runtime, so they keep working whatever the server does. The jobs are the tests' own: each
//! records when it starts and ends, so the tests can see how many run at once and whether any
//! runs after `serve` has returned. Every test runs under a time limit, so a server that never
//! returns fails instead of hanging, and every failure ends with a hint.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use exercise_async_bounded_server::serve;

const LIMIT: Duration = Duration::from_secs(5);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What the jobs saw: how many are running now, the most that ever ran at once, how many
/// started and finished in all.
#[derive(Default)]
struct Jobs {
    running: AtomicUsize,
    most: AtomicUsize,
    started: AtomicUsize,
    finished: AtomicUsize,
}

/// A job handler: a line `sleep N ...` takes N ms (on tokio's timer, so it blocks nothing), any
/// other line is done at once; the reply is `done: LINE`.
fn handler(
    jobs: &Arc<Jobs>,
) -> impl Fn(String) -> std::pin::Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync + 'static
{
    let jobs = jobs.clone();
    move |line: String| {
        let jobs = jobs.clone();
        Box::pin(async move {
            jobs.started.fetch_add(1, SeqCst);
            let now = jobs.running.fetch_add(1, SeqCst) + 1;
            jobs.most.fetch_max(now, SeqCst);
            let mut words = line.split_whitespace();
            if let (Some("sleep"), Some(Ok(n))) = (words.next(), words.next().map(str::parse)) {
                tokio::time::sleep(ms(n)).await;
            }
            jobs.running.fetch_sub(1, SeqCst);
            jobs.finished.fetch_add(1, SeqCst);
            format!("done: {line}")
        })
    }
}

/// A server under test, on a runtime on a thread of its own: its address, the jobs' record, a
/// way to ask it to shut down, and a way to learn when `serve` returned (and what it returned).
struct Server {
    addr: SocketAddr,
    jobs: Arc<Jobs>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    returned: mpsc::Receiver<(Instant, usize, Result<(), String>)>,
}

fn start(limit: usize) -> Server {
    let jobs = Arc::new(Jobs::default());
    let (shutdown, asked) = tokio::sync::oneshot::channel::<()>();
    let (ready, addr) = mpsc::channel();
    let (done, returned) = mpsc::channel();
    let handle = handler(&jobs);
    let jobs_at_return = jobs.clone();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let result = runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready.send(listener.local_addr().unwrap()).unwrap();
            let result = serve(listener, limit, handle, async {
                let _ = asked.await;
            })
            .await;
            result.map_err(|e| e.to_string())
        });
        // How many jobs were still running the moment `serve` returned: it must be none.
        let running = jobs_at_return.running.load(SeqCst);
        let _ = done.send((Instant::now(), running, result));
        // The runtime is dropped here, after `serve` returned: what the server still had
        // running would be cancelled now, and the tests look at the jobs' record before that.
        thread::sleep(ms(300));
        drop(runtime);
    });
    let addr = addr.recv_timeout(LIMIT).expect("the server did not start");
    Server {
        addr,
        jobs,
        shutdown: Some(shutdown),
        returned,
    }
}

impl Server {
    fn shut_down(&mut self) -> Instant {
        let at = Instant::now();
        let _ = self.shutdown.take().unwrap().send(());
        at
    }

    /// Waits for `serve` to return (at most `within`): when it did. Fails if a job was still
    /// running at that moment.
    fn returned(&self, within: Duration) -> Instant {
        match self.returned.recv_timeout(within) {
            Ok((at, 0, Ok(()))) => at,
            Ok((_, running, Ok(()))) => {
                panic!("serve returned while {running} job(s) were still running")
            }
            Ok((_, _, Err(e))) => panic!("serve returned an error: {e}"),
            Err(_) => panic!("serve did not return within {within:?} of the shutdown"),
        }
    }
}

/// A client: connects, and sends lines and reads replies with blocking calls.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect to the server");
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.reader.get_mut(), "{line}").expect("send a line");
    }

    /// The next reply, or `None` when the server closed the connection.
    fn reply(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => None,
            Ok(_) => Some(line.trim_end().to_string()),
            Err(e) => panic!("reading a reply failed: {e}"),
        }
    }

    fn ask(&mut self, line: &str) -> Option<String> {
        self.send(line);
        self.reply()
    }
}

#[test]
fn each_line_gets_its_reply_in_order() {
    within(
        "read the connection line by line (`BufReader::new(reader).lines()` and `next_line`), \
         call `handler(line).await` and write the reply followed by `\\n`, then read the next \
         line, until the client closes the connection (`Ok(None)`).",
        || {
            let mut server = start(4);
            let mut client = Client::connect(server.addr);
            for word in ["one", "two", "three"] {
                assert_eq!(client.ask(word).as_deref(), Some(&*format!("done: {word}")));
            }
            drop(client);
            server.shut_down();
            server.returned(ms(2_000));
        },
    );
}

#[test]
fn clients_are_served_at_the_same_time() {
    within(
        "spawn one task per connection (a `JoinSet` keeps them): serving a connection in the \
         accept loop itself makes every client wait for the one before it.",
        || {
            let mut server = start(16);
            let start = Instant::now();
            let clients: Vec<_> = (0..8)
                .map(|i| {
                    let addr = server.addr;
                    thread::spawn(move || Client::connect(addr).ask(&format!("sleep 300 #{i}")))
                })
                .collect();
            for (i, client) in clients.into_iter().enumerate() {
                let reply = client.join().unwrap();
                assert_eq!(reply.as_deref(), Some(&*format!("done: sleep 300 #{i}")));
            }
            let elapsed = start.elapsed();
            assert!(
                elapsed < ms(1_200),
                "8 clients whose jobs take 300 ms each took {elapsed:?} together: about 300 ms \
                 was expected"
            );
            server.shut_down();
            server.returned(ms(2_000));
        },
    );
}

#[test]
fn no_more_than_limit_jobs_run_at_once() {
    within(
        "share one `tokio::sync::Semaphore` with `limit` permits between the connections \
         (in an `Arc`), and hold a permit (`acquire().await`) for exactly as long as \
         `handler(line).await` runs.",
        || {
            let mut server = start(3);
            // Three clients that asked once and now stay connected, idle: they must not keep
            // a place (a permit held for a whole connection would leave none for the others).
            let idle: Vec<_> = (0..3)
                .map(|i| {
                    let mut client = Client::connect(server.addr);
                    assert_eq!(
                        client.ask(&format!("hi {i}")),
                        Some(format!("done: hi {i}"))
                    );
                    client
                })
                .collect();
            let clients: Vec<_> = (0..10)
                .map(|i| {
                    let addr = server.addr;
                    thread::spawn(move || {
                        let mut client = Client::connect(addr);
                        (0..2)
                            .map(|j| client.ask(&format!("sleep 100 #{i}.{j}")))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for client in clients {
                let replies = client.join().unwrap();
                assert!(replies.iter().all(Option::is_some), "{replies:?}");
            }
            let most = server.jobs.most.load(SeqCst);
            assert!(most <= 3, "{most} jobs ran at once with a limit of 3");
            assert_eq!(
                most, 3,
                "with 10 clients waiting, the jobs should use all 3 places (at most {most} ran \
                 at once)"
            );
            assert_eq!(server.jobs.finished.load(SeqCst), 23);
            drop(idle);
            server.shut_down();
            server.returned(ms(2_000));
        },
    );
}

#[test]
fn a_job_in_progress_at_shutdown_is_finished_and_answered() {
    within(
        "at shutdown, stop accepting, then tell the connections (a `tokio::sync::watch` \
         channel, say) and WAIT for their tasks (`join_next` until the set is empty). A \
         connection checks for the stop only between jobs, never in the middle of one.",
        || {
            let mut server = start(4);
            let mut client = Client::connect(server.addr);
            client.send("sleep 400");
            // Shut down once the job is running (a fixed sleep could come too early on a
            // slow machine, before the line was even read).
            while server.jobs.started.load(SeqCst) == 0 {
                thread::sleep(ms(5));
            }
            server.shut_down();
            assert_eq!(
                client.reply().as_deref(),
                Some("done: sleep 400"),
                "the client lost its reply: its job was cut off by the shutdown"
            );
            // `returned` also fails if the job was still running when `serve` returned.
            server.returned(ms(2_000));
            assert_eq!(
                client.reply(),
                None,
                "after its last reply, the connection should be closed"
            );
        },
    );
}

#[test]
fn an_idle_client_does_not_keep_the_server_alive() {
    within(
        "a connection waits for its next line and for the stop at the same time: \
         `tokio::select!` on `next_line()` and on the stop signal (`wait_for(|&stop| stop)` \
         on a watch receiver). `next_line` is cancel-safe, so losing the race is harmless.",
        || {
            let mut server = start(4);
            let mut idle = Client::connect(server.addr);
            assert_eq!(idle.ask("hello").as_deref(), Some("done: hello"));
            let asked = server.shut_down();
            let returned = server.returned(ms(2_000));
            assert!(
                returned - asked < ms(1_000),
                "serve took {:?} to return with an idle client connected",
                returned - asked
            );
            assert_eq!(
                idle.reply(),
                None,
                "the idle client's connection was not closed"
            );
        },
    );
}

#[test]
fn nothing_runs_after_serve_returns_and_new_clients_are_refused() {
    within(
        "`serve` must return only once every connection's task has ended, and drop the \
         listener when it stops accepting.",
        || {
            let mut server = start(2);
            let busy: Vec<_> = (0..4)
                .map(|i| {
                    let addr = server.addr;
                    thread::spawn(move || Client::connect(addr).ask(&format!("sleep 200 #{i}")))
                })
                .collect();
            thread::sleep(ms(100));
            server.shut_down();
            server.returned(ms(3_000));
            let (running, started, finished) = (
                server.jobs.running.load(SeqCst),
                server.jobs.started.load(SeqCst),
                server.jobs.finished.load(SeqCst),
            );
            assert_eq!(
                running, 0,
                "{running} job(s) still running after serve returned"
            );
            assert_eq!(
                started, finished,
                "jobs started but not finished: {started} vs {finished}"
            );
            thread::sleep(ms(150));
            assert_eq!(
                server.jobs.started.load(SeqCst),
                started,
                "a job started after serve had returned"
            );
            let refused = TcpStream::connect(server.addr);
            assert!(
                refused.is_err(),
                "a new client could still connect after serve returned"
            );
            for client in busy {
                // Each of them was either answered, or (if its line arrived after the stop)
                // had its connection closed without a reply: never a half reply.
                if let Some(reply) = client.join().unwrap() {
                    assert!(reply.starts_with("done: sleep 200 #"), "{reply:?}");
                }
            }
        },
    );
}

#[test]
#[should_panic(expected = "limit")]
fn a_limit_of_zero_is_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let jobs = Arc::new(Jobs::default());
        let _ = serve(listener, 0, handler(&jobs), async {}).await;
    });
}

/// Runs `test` on a thread of its own, and fails with `hint` if it panics or has not finished
/// within [`LIMIT`].
fn within(hint: &str, test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        test();
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
