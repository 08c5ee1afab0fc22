//! Wrong: the optional step's place is taken with `let _ = places.acquire().await`: `_` drops the permit at once, so nothing is bounded
//! Fails: harder_no_more_than_at_most_fetches_run_at_once

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

#[derive(Debug)]
pub enum FetchError {
    TimedOut,
    Io(io::Error),
}

pub async fn fetch(addr: SocketAddr) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(b"GET /\n").await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    Ok(answer)
}

pub async fn fetch_all(addrs: &[SocketAddr], limit: Duration) -> Vec<Result<String, FetchError>> {
    let tasks: Vec<_> = addrs
        .iter()
        .map(|&addr| {
            tokio::spawn(async move {
                match timeout(limit, fetch(addr)).await {
                    Ok(Ok(answer)) => Ok(answer),
                    Ok(Err(err)) => Err(FetchError::Io(err)),
                    Err(_elapsed) => Err(FetchError::TimedOut),
                }
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("a fetch task panicked"));
    }
    results
}

pub async fn fetch_all_bounded(
    addrs: &[SocketAddr],
    limit: Duration,
    at_most: usize,
) -> Vec<Result<String, FetchError>> {
    assert!(at_most > 0, "at_most is 0: no fetch could ever start");
    let places = std::sync::Arc::new(tokio::sync::Semaphore::new(at_most));
    let tasks: Vec<_> = addrs
        .iter()
        .map(|&addr| {
            let places = places.clone();
            tokio::spawn(async move {
                let _ = places
                    .acquire()
                    .await
                    .expect("the semaphore is never closed");
                match timeout(limit, fetch(addr)).await {
                    Ok(Ok(answer)) => Ok(answer),
                    Ok(Err(err)) => Err(FetchError::Io(err)),
                    Err(_elapsed) => Err(FetchError::TimedOut),
                }
            })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("a fetch task panicked"));
    }
    results
}
