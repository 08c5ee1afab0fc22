//! Exercise: an async client that fetches from several servers at once, with a time limit.
//!
//! Finish [`fetch`] and [`fetch_all`]: the two bodies that say `todo!()`. Everything else is
//! given. Check your work with
//!
//! ```text
//! cargo xtask check async-fetch-timeout
//! ```
//!
//! The servers (the tests start them on 127.0.0.1) speak a tiny protocol: the client sends the
//! line `GET /\n`; the server answers with some text, then closes the connection. Some servers
//! are quick, some slow, and one never answers at all: [`fetch_all`] gives each server at most
//! `limit`, returns the answers that came in time, and cancels the fetches that did not.
//!
//! When every other test passes, [`fetch_all_bounded`] is an optional harder step.

// While the bodies below are `todo!()`, their arguments and some imports are unused, and the
// compiler would warn about it. This line silences exactly those warnings; delete it when you
// are done (the solution has none).
#![allow(unused_variables, unused_imports)]

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
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
    todo!("fetch one server's answer")
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
    todo!("fetch from every server at once, each within `limit`")
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
    todo!("the optional harder step")
}
