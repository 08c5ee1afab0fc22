//! A solution: a server that serves many clients, bounds the work it does at once, and shuts down
//! gracefully.
//!
//! The exercise's tests check it:
//!
//! ```text
//! cargo xtask check async-bounded-server --solution
//! ```
//!
//! The protocol is one line per job: a client sends a line, the server answers with one line,
//! the reply that `handler` computes for it, then waits for the client's next line. A client
//! may send many lines over one connection, and many clients may be connected at once.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

/// How [`serve`] ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Every connection had ended before the grace period ran out.
    Gracefully,
    /// The grace period ran out while this many connections were still busy: they were
    /// aborted (their jobs cancelled, their connections closed).
    Aborted(usize),
}

/// The pause after the first failed `accept`; it doubles while the failures go on.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
/// The longest pause between two tries of `accept`.
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// Serves the clients that connect to `listener` until `shutdown` completes, then shuts down
/// gracefully and returns.
///
/// What must hold:
///
/// - **Many clients at once**: each connection is served by a task of its own, so a slow job of
///   one client does not hold up the others.
/// - **At most `limit` jobs at once**: however many clients there are, no more than `limit` calls
///   of `handler` are running at any moment (the others wait for their turn), and a connected
///   client that sends nothing takes no place.
/// - **An error is not the end**: when accepting a connection fails (the process has run out of
///   file descriptors, say), `serve` logs it with `tracing::warn!`, pauses (at least 10 ms;
///   longer while the failures go on), and tries again. The clients already connected are
///   served as before.
/// - **Graceful shutdown**: when `shutdown` completes, the server stops accepting connections
///   (a new client is refused), every job already started is finished and its reply written,
///   every connection is then closed (an idle client does not keep the server alive), and
///   `serve` returns when all of that is done: nothing of the server runs after it returned.
/// - **But not for ever**: a job that has not finished `grace` after the shutdown is cancelled
///   with its connection, and `serve` says so: [`Stopped::Aborted`].
///
/// # Panics
///
/// If `limit` is 0 (no job could ever run).
pub async fn serve<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    run(listener, limit, grace, None, handler, shutdown).await
}

/// Optional harder step: like [`serve`], and a connection that has been waiting for the
/// client's next line for `idle` is closed. The time counts from the moment the server starts
/// waiting (after its last reply was written): a long job is never cut by it.
///
/// # Panics
///
/// If `limit` is 0 (no job could ever run).
pub async fn serve_with_idle_timeout<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    idle: Duration,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    run(listener, limit, grace, Some(idle), handler, shutdown).await
}

/// What [`serve`] and [`serve_with_idle_timeout`] do.
async fn run<H, F>(
    listener: TcpListener,
    limit: usize,
    grace: Duration,
    idle: Option<Duration>,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> Stopped
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    assert!(limit > 0, "a limit of 0 jobs at once would serve nobody");
    let handler = Arc::new(handler);
    let permits = Arc::new(Semaphore::new(limit));
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    let mut pause = FIRST_PAUSE;
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
            // Reap the connections that have ended, so the set does not grow for ever.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        match accepted {
            Ok((stream, _)) => {
                pause = FIRST_PAUSE;
                let task = connection(
                    stream,
                    handler.clone(),
                    permits.clone(),
                    stopped.clone(),
                    idle,
                );
                connections.spawn(task);
            }
            // Out of file descriptors (EMFILE), say: it may pass once a connection ends.
            // Returning would drop `connections`, aborting every job in flight; trying again
            // at once would spin. So: say it, pause (still listening for the shutdown), and
            // try again.
            Err(err) => {
                tracing::warn!(%err, ?pause, "accepting a connection failed; trying again");
                let paused = tokio::select! {
                    () = &mut shutdown => false,
                    () = sleep(pause) => true,
                };
                if !paused {
                    break;
                }
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
        }
    }
    drop(listener); // no more connections: a client that connects now is refused
    let _ = stop.send(true);
    // `timeout` borrows `connections` only for as long as the drain future lives: once it
    // has returned, the set is ours again.
    let drain = async { while connections.join_next().await.is_some() {} };
    if timeout(grace, drain).await.is_ok() {
        return Stopped::Gracefully;
    }
    // The grace period is over: cancel what is left, and wait until it has really ended.
    connections.abort_all();
    let mut aborted = 0;
    while let Some(ended) = connections.join_next().await {
        if ended.is_err_and(|err| err.is_cancelled()) {
            aborted += 1;
        }
    }
    Stopped::Aborted(aborted)
}

/// Serves one client: reads its lines one by one and writes the reply to each, taking one of
/// `permits` for the time `handler` runs; ends when the client closes the connection, when
/// `stopped` turns `true` (but never in the middle of a job), or when the client has sent
/// nothing for `idle` (if given).
pub async fn connection<H, F>(
    stream: TcpStream,
    handler: Arc<H>,
    permits: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
    idle: Option<Duration>,
) where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let next_line = async {
            match idle {
                // Waiting too long counts as the end of the connection.
                Some(idle) => timeout(idle, lines.next_line()).await.unwrap_or(Ok(None)),
                None => lines.next_line().await,
            }
        };
        let line = tokio::select! {
            // Shutdown first: once it is asked for, no new line is taken.
            biased;
            _ = stopped.wait_for(|&stop| stop) => return,
            // `next_line` is cancel-safe (tokio documents it): if shutdown wins the race,
            // no part of a line is lost; the connection simply ends.
            line = next_line => line,
        };
        let Ok(Some(line)) = line else {
            return; // the client closed the connection, or it failed, or it was idle too long
        };
        let reply = {
            let _permit = permits
                .acquire()
                .await
                .expect("the semaphore is never closed");
            handler(line).await
        };
        // No `select!` on the stop here: a reply is written whole, or not at all.
        if writer
            .write_all(format!("{reply}\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
