//! Wrong: sleeps for the whole `limit`, then takes the fetches that have finished and aborts the rest: it always takes `limit`, even when every answer is in
//! Fails: fetch_all_returns_as_soon_as_every_answer_is_in, no_servers_no_results

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
    let handles: Vec<_> = addrs
        .iter()
        .map(|&addr| tokio::spawn(fetch(addr)))
        .collect();
    tokio::time::sleep(limit).await;
    let mut results = Vec::new();
    for handle in handles {
        if handle.is_finished() {
            results.push(match handle.await.expect("a fetch task panicked") {
                Ok(answer) => Ok(answer),
                Err(err) => Err(FetchError::Io(err)),
            });
        } else {
            handle.abort();
            results.push(Err(FetchError::TimedOut));
        }
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
