//! Wrong: each handle is awaited in turn under `timeout(limit, &mut handle)`, so each deadline starts when the loop reaches it
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
    let handles: Vec<_> = addrs
        .iter()
        .map(|&addr| tokio::spawn(fetch(addr)))
        .collect();
    let mut results = Vec::new();
    for mut handle in handles {
        let result = match timeout(limit, &mut handle).await {
            Ok(Ok(Ok(answer))) => Ok(answer),
            Ok(Ok(Err(err))) => Err(FetchError::Io(err)),
            Ok(Err(join_error)) => panic!("a fetch task failed: {join_error}"),
            Err(_elapsed) => {
                handle.abort();
                Err(FetchError::TimedOut)
            }
        };
        results.push(result);
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
