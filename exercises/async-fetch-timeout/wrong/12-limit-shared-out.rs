//! Wrong: the limit is shared out among the servers (`limit / n` each), though the fetches run at the same time: every server gets too little
//! Fails: all_deadlines_end_together_at_the_limit

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
    let share = limit / addrs.len().max(1) as u32;
    let tasks: Vec<_> = addrs
        .iter()
        .map(|&addr| {
            tokio::spawn(async move {
                match timeout(share, fetch(addr)).await {
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
    _addrs: &[SocketAddr],
    _limit: Duration,
    _at_most: usize,
) -> Vec<Result<String, FetchError>> {
    todo!("the optional harder step")
}
