//! Exercise: a server that serves many clients, bounds the work it does at once, and shuts down
//! gracefully.
//!
//! Finish [`serve`] and [`connection`]: the two bodies that say `todo!()`. Everything else is
//! given. Check your work with
//!
//! ```text
//! cargo xtask check async-bounded-server
//! ```
//!
//! The protocol is one line per job: a client sends a line, the server answers with one line,
//! the reply that `handler` computes for it, then waits for the client's next line. A client
//! may send many lines over one connection, and many clients may be connected at once.
//!
//! When every other test passes, [`serve_with_idle_timeout`] is an optional harder step.

// While the bodies below are `todo!()`, their arguments and some imports are unused, and the
// compiler would warn about it. This line silences exactly those warnings; delete it when you
// are done (the solution has none).
#![allow(unused_variables, unused_imports, unused_mut)]

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
    todo!("serve the clients until `shutdown`, then shut down gracefully")
}

/// Serves one client: reads its lines one by one and writes the reply to each, taking one of
/// `permits` for the time `handler` runs; ends when the client closes the connection, or when
/// `stopped` turns `true` (but never in the middle of a job).
pub async fn connection<H, F>(
    stream: TcpStream,
    handler: Arc<H>,
    permits: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
) where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    todo!("serve one client, line by line")
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
    todo!("the optional harder step")
}
