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

// While the bodies below are `todo!()`, their arguments and some imports are unused, and the
// compiler would warn about it. This line silences exactly those warnings; delete it when you
// are done (the solution has none).
#![allow(unused_variables, unused_imports, unused_mut)]

use std::future::Future;
use std::io;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// Serves the clients that connect to `listener` until `shutdown` completes, then shuts down
/// gracefully and returns.
///
/// What must hold:
///
/// - **Many clients at once**: each connection is served by a task of its own, so a slow job of
///   one client does not hold up the others.
/// - **At most `limit` jobs at once**: however many clients there are, no more than `limit` calls
///   of `handler` are running at any moment (the others wait for their turn).
/// - **Graceful shutdown**: when `shutdown` completes, the server stops accepting connections,
///   every job already started is finished and its reply written, every connection is then
///   closed (an idle client does not keep the server alive), and `serve` returns only when all of
///   that is done: nothing of the server runs after `serve` has returned.
///
/// # Errors
///
/// Accepting a connection fails.
///
/// # Panics
///
/// If `limit` is 0 (no job could ever run).
pub async fn serve<H, F>(
    listener: TcpListener,
    limit: usize,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    H: Fn(String) -> F + Send + Sync + 'static,
    F: Future<Output = String> + Send + 'static,
{
    todo!("accept in a loop, a task per connection, until `shutdown`; then stop and wait for them")
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
    todo!("read a line, take a permit, run `handler`, write the reply; stop when asked")
}
