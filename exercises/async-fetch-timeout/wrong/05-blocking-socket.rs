//! Wrong: `fetch` uses std's blocking `TcpStream` inside an async fn: it stops the runtime's thread while it waits
//! Fails: the_fetches_run_at_the_same_time, a_silent_server_times_out_and_the_others_answer

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use std::io::{Read, Write};
use std::net::TcpStream;
use tokio::time::timeout;

#[derive(Debug)]
pub enum FetchError {
    TimedOut,
    Io(io::Error),
}

pub async fn fetch(addr: SocketAddr) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(b"GET /\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
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
    _addrs: &[SocketAddr],
    _limit: Duration,
    _at_most: usize,
) -> Vec<Result<String, FetchError>> {
    todo!("the optional harder step")
}
