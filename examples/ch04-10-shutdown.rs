use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Duration, sleep, timeout};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

/// Echoes each line back, until the client leaves or the server says stop.
async fn connection(stream: TcpStream, stop: CancellationToken) {
    let mut lines = BufReader::new(stream).lines();
    loop {
        let line = tokio::select! {
            biased; // a stop that has come wins over a line that is waiting
            () = stop.cancelled() => break,
            line = lines.next_line() => line,
        };
        let Ok(Some(line)) = line else { return }; // the client left
        let reply = format!("echo: {line}\n");
        lines.get_mut().write_all(reply.as_bytes()).await.unwrap();
    }
    lines
        .get_mut()
        .write_all(b"bye: shutting down\n")
        .await
        .unwrap();
    println!("server: a connection said goodbye");
}

/// A client: says hello, stays, and returns all it got once the server closed.
async fn client(addr: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"hello\n").await.unwrap();
    let mut got = String::new();
    stream.read_to_string(&mut got).await.unwrap();
    got
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let clients = [0, 1].map(|_| tokio::spawn(client(listener.local_addr().unwrap())));
    let (stop, tasks) = (CancellationToken::new(), TaskTracker::new());
    let signal = stop.clone();
    tokio::spawn(async move {
        tokio::select! { // Ctrl-C, or the end of this demo
            _ = tokio::signal::ctrl_c() => println!("server: Ctrl-C"),
            () = sleep(Duration::from_millis(200)) => println!("server: time to stop"),
        }
        signal.cancel(); // tells the accept loop below and every connection
    });
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            Ok((stream, _)) = listener.accept() => tasks.spawn(connection(stream, stop.clone())),
        };
    }
    drop(listener); // new clients are refused from here on
    println!("server: stopped accepting");
    tasks.close(); // no task will be added: `wait` ends when the last one does
    let in_time = timeout(Duration::from_secs(2), tasks.wait()).await.is_ok();
    println!("server: every connection closed within 2 s: {in_time}");
    for c in clients {
        println!("a client got: {:?}", c.await.unwrap());
    }
    Ok(())
}
