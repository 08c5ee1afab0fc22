//! Wrong: one `timeout` around the whole collection: when it runs out, the answers already in are thrown away with the late ones
//! Fails: a_silent_server_times_out_and_the_others_answer

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
    let mut handles: Vec<_> = addrs
        .iter()
        .map(|&addr| tokio::spawn(fetch(addr)))
        .collect();
    let everything = async {
        let mut results = Vec::new();
        for handle in &mut handles {
            results.push(match handle.await.expect("a fetch task panicked") {
                Ok(answer) => Ok(answer),
                Err(err) => Err(FetchError::Io(err)),
            });
        }
        results
    };
    match timeout(limit, everything).await {
        Ok(results) => results,
        Err(_elapsed) => {
            for handle in &handles {
                handle.abort();
            }
            addrs.iter().map(|_| Err(FetchError::TimedOut)).collect()
        }
    }
}

pub async fn fetch_all_bounded(
    _addrs: &[SocketAddr],
    _limit: Duration,
    _at_most: usize,
) -> Vec<Result<String, FetchError>> {
    todo!("the optional harder step")
}
