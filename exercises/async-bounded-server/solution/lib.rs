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
    assert!(limit > 0, "a limit of 0 jobs at once would serve nobody");
    let handler = Arc::new(handler);
    let permits = Arc::new(Semaphore::new(limit));
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                let task = connection(stream, handler.clone(), permits.clone(), stopped.clone());
                connections.spawn(task);
            }
            // Reap the connections that have ended, so the set does not grow for ever.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener); // no more connections: a client that connects now is refused
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
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
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    loop {
        let line = tokio::select! {
            // Shutdown first: once it is asked for, no new line is taken.
            biased;
            _ = stopped.wait_for(|&stop| stop) => return,
            // `next_line` is cancel-safe (tokio documents it): if shutdown wins the race,
            // no part of a line is lost; the connection simply ends.
            line = lines.next_line() => line,
        };
        let Ok(Some(line)) = line else {
            return; // the client closed the connection, or it failed
        };
        let reply = {
            let _permit = permits
                .acquire()
                .await
                .expect("the semaphore is never closed");
            handler(line).await
        };
        if writer
            .write_all(format!("{reply}\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}
