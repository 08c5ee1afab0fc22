use std::{io, time::Duration};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout_at};
use tokio_util::sync::CancellationToken;

/// Prints when it is dropped: when its task ends, or is cut.
struct Closing;

impl Drop for Closing {
    fn drop(&mut self) {
        println!("server: a connection closed");
    }
}

/// Serves one client: each line a request; a `long` one takes an hour.
async fn handle(tcp: TcpStream, stop: CancellationToken) -> io::Result<()> {
    let _closing = Closing; // dropped with this future, however it ends
    let mut lines = BufReader::new(tcp).lines();
    loop {
        let line = tokio::select! {
            biased;
            () = stop.cancelled() => break,
            line = lines.next_line() => line?,
        };
        let Some(line) = line else { return Ok(()) };
        let out = lines.get_mut();
        out.write_all(format!("started: {line}\n").as_bytes())
            .await?;
        let ms = if line == "long" { 3_600_000 } else { 200 };
        sleep(Duration::from_millis(ms)).await; // the request's work
        out.write_all(format!("done: {line}\n").as_bytes()).await?;
    }
    lines.get_mut().write_all(b"bye: shutting down\n").await?;
    println!("server: a connection said goodbye");
    Ok(())
}

async fn serve(listener: TcpListener, stop: CancellationToken) {
    let mut tasks = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        while tasks.try_join_next().is_some() {} // drop the finished ones
        match accepted {
            Ok((stream, _)) => {
                tasks.spawn(handle(stream, stop.clone()));
            }
            Err(e) => {
                eprintln!("server: accept: {e}; trying again in 100 ms");
                sleep(Duration::from_millis(100)).await;
            }
        }
    }
    drop(listener);
    println!("server: stopped accepting");
    // One deadline for the whole drain: no wait in this loop outlasts it.
    let deadline = Instant::now() + Duration::from_millis(500);
    while let Ok(Some(_)) = timeout_at(deadline, tasks.join_next()).await {}
    if !tasks.is_empty() {
        let left = tasks.len();
        println!("server: deadline passed, {left} still running: aborting");
        tasks.abort_all(); // each is dropped where it waits
        while let Some(ended) = tasks.join_next().await {
            if ended.is_err_and(|e| e.is_cancelled()) {
                println!("server: a connection was cancelled");
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    let server = tokio::spawn(serve(listener, stop.clone()));
    let mut clients = Vec::new();
    for (name, line) in [("A", "short"), ("B", "long")] {
        let mut client = TcpStream::connect(addr).await.unwrap();
        client
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        let mut got = vec![0; format!("started: {line}\n").len()];
        client.read_exact(&mut got).await.unwrap(); // the request started
        clients.push((name, client, got));
    }
    println!("server: both requests started: stop");
    stop.cancel();
    server.await.unwrap();
    for (name, mut client, mut got) in clients {
        client.read_to_end(&mut got).await.unwrap();
        println!("client {name} got: {:?}", String::from_utf8(got).unwrap());
    }
}
