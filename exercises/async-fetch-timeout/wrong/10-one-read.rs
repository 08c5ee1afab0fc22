//! Wrong: `fetch` reads once into a buffer: a long answer, which comes in several pieces, is cut after the first
//! Fails: fetch_sends_the_request_and_reads_the_whole_answer

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
    let mut buffer = vec![0; 64 * 1024];
    let n = stream.read(&mut buffer).await?;
    buffer.truncate(n);
    String::from_utf8(buffer).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
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
    _addrs: &[SocketAddr],
    _limit: Duration,
    _at_most: usize,
) -> Vec<Result<String, FetchError>> {
    todo!("the optional harder step")
}
