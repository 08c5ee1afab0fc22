use std::{io, time::Duration};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

/// Echoes each line back, until the client leaves or the server says stop.
async fn connection(
    stream: TcpStream,
    stop: CancellationToken,
) -> io::Result<()> {
    let mut lines = BufReader::new(stream).lines();
    loop {
        let line = tokio::select! {
            biased; // a stop that has come wins over a line that is waiting
            () = stop.cancelled() => break,
            line = lines.next_line() => line?,
        };
        let Some(line) = line else { return Ok(()) }; // the client left
        let reply = format!("echo: {line}\n");
        lines.get_mut().write_all(reply.as_bytes()).await?;
    }
    lines.get_mut().write_all(b"bye: shutting down\n").await?;
    println!("server: a connection said goodbye");
    Ok(())
}

/// Accepts connections until `stop`; then waits for them, with a deadline.
async fn serve(listener: TcpListener, stop: CancellationToken) {
    let tasks = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                // An error (a client that reset, say) ends this task only.
                tasks.spawn(connection(stream, stop.clone()));
            }
            Err(e) => {
                eprintln!("server: accept: {e}; trying again in 100 ms");
                sleep(Duration::from_millis(100)).await;
            }
        }
    }
    drop(listener); // new clients are refused from here on
    println!("server: stopped accepting");
    tasks.close(); // lets `wait` end once the tracker is empty
    let in_time = timeout(Duration::from_secs(2), tasks.wait()).await.is_ok();
    println!("server: every connection closed within 2 s: {in_time}");
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    let server = tokio::spawn(serve(listener, stop.clone()));
    let mut clients = Vec::new();
    for _ in 0..2 {
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"hello\n").await.unwrap();
        let mut got = vec![0; "echo: hello\n".len()];
        client.read_exact(&mut got).await.unwrap();
        clients.push((client, got)); // served, and still connected
    }
    println!("server: both clients served, time to stop");
    stop.cancel(); // stands for Ctrl-C (next page): tells every task
    server.await.unwrap();
    for (mut client, mut got) in clients {
        client.read_to_end(&mut got).await.unwrap(); // until the end
        println!("a client got: {:?}", String::from_utf8(got).unwrap());
    }
}
