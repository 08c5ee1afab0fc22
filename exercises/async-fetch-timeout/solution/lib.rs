//! A solution: an async client that fetches from several servers at once, with a time limit.
//!
//! The exercise's tests check it:
//!
//! ```text
//! cargo xtask check async-fetch-timeout --solution
//! ```
//!
//! The servers (the tests start them on 127.0.0.1) speak a tiny protocol: the client sends the
//! line `GET /\n`; the server answers with some text, then closes the connection. Some servers
//! are quick, some slow, and one never answers at all: [`fetch_all`] gives each server at most
//! `limit`, returns the answers that came in time, and cancels the fetches that did not.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// Why a fetch brought back no answer.
#[derive(Debug)]
pub enum FetchError {
    /// The server had not answered completely when the time limit came; the fetch was cancelled
    /// and its connection closed.
    TimedOut,
    /// Connecting, sending or reading failed (the server refused the connection, say), or the
    /// answer was not UTF-8 text.
    Io(io::Error),
}

/// Fetches one server's answer: connects to `addr`, sends `GET /\n`, and reads everything the
/// server sends until it closes the connection.
///
/// # Errors
///
/// Connecting, sending or reading fails, or the answer is not UTF-8 text.
pub async fn fetch(addr: SocketAddr) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(b"GET /\n").await?;
    let mut answer = String::new();
    // Reads until the server closes the connection (end of stream); fails if not UTF-8.
    stream.read_to_string(&mut answer).await?;
    Ok(answer)
}

/// Fetches from every server in `addrs` at the same time, giving each at most `limit`, and
/// returns one result per server, in the order of `addrs`.
///
/// What must hold:
///
/// - **The fetches overlap**: every request is sent before any answer is awaited, so
///   `fetch_all` takes about as long as the slowest answer it waits for, never the sum of them.
/// - **The deadlines run together**: each server gets `limit`, counted from the start of
///   `fetch_all` for all of them (not from the moment an earlier answer came in). `fetch_all`
///   returns as soon as every answer is in, and at the latest when `limit` is up.
/// - **A fetch that runs out of time is cancelled**: its result is [`FetchError::TimedOut`], and
///   its connection is closed right away (the server sees the client hang up), not when the
///   program ends.
/// - **A failing server is an error, not a panic**: [`FetchError::Io`].
///
/// Call it from a tokio runtime (with `#[tokio::main]`, for example).
pub async fn fetch_all(addrs: &[SocketAddr], limit: Duration) -> Vec<Result<String, FetchError>> {
    // One task per server: they all run at the same time. Each holds its own deadline, which
    // starts when the task starts: right away, for all of them.
    let tasks = addrs
        .iter()
        .map(|&addr| tokio::spawn(fetch_within(addr, limit)))
        .collect();
    in_order(tasks).await
}

/// Optional harder step: like [`fetch_all`], but never more than `at_most` fetches at once.
/// The others wait for a place, and a fetch's `limit` starts when it gets its place: waiting
/// for one is not held against a server.
///
/// # Panics
///
/// If `at_most` is 0 (no fetch could ever start).
pub async fn fetch_all_bounded(
    addrs: &[SocketAddr],
    limit: Duration,
    at_most: usize,
) -> Vec<Result<String, FetchError>> {
    assert!(at_most > 0, "at_most is 0: no fetch could ever start");
    let places = Arc::new(Semaphore::new(at_most));
    let tasks = addrs
        .iter()
        .map(|&addr| {
            let places = places.clone();
            tokio::spawn(async move {
                // The place is held until the fetch is over (answered, failed or cancelled).
                let _place = places
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                fetch_within(addr, limit).await
            })
        })
        .collect();
    in_order(tasks).await
}

/// One fetch with its deadline, `limit` from now.
async fn fetch_within(addr: SocketAddr, limit: Duration) -> Result<String, FetchError> {
    match timeout(limit, fetch(addr)).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(err)) => Err(FetchError::Io(err)),
        // At the deadline, `timeout` drops the `fetch` future, and with it the `TcpStream`:
        // that closes the connection. Dropping is cancelling.
        Err(_elapsed) => Err(FetchError::TimedOut),
    }
}

/// The tasks' results, in the order of the tasks. While we wait for one, the others run too.
async fn in_order(
    tasks: Vec<JoinHandle<Result<String, FetchError>>>,
) -> Vec<Result<String, FetchError>> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("a fetch task panicked"));
    }
    results
}
