//! Wrong: the time is checked after the fetch has finished instead of cancelling it at the deadline: a server that never answers holds `fetch_all` for ever
//! Fails: a_silent_server_times_out_and_the_others_answer, a_fetch_that_runs_out_of_time_is_cancelled

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
                let started = std::time::Instant::now();
                let result = fetch(addr).await;
                if started.elapsed() > limit {
                    return Err(FetchError::TimedOut);
                }
                result.map_err(FetchError::Io)
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
