use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;

/// Serves one connection: sends every line back, until the client hangs up.
async fn echo(stream: TcpStream) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        writer.write_all(format!("{line}\n").as_bytes()).await?;
    }
    Ok(())
}

/// Accepts connections until told to stop; then gives the open ones a grace
/// period.
async fn server(listener: TcpListener, mut stop: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    let mut served = 0;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _addr) = accepted.expect("accept");
                connections.spawn(echo(stream));
                served += 1;
            }
            // Reap each finished connection, so the set holds only the open
            // ones.
            Some(_finished) = connections.join_next() => {}
            _ = &mut stop => break, // shutdown: stop accepting
        }
    }
    drop(listener);
    // An idle client would keep its connection open for ever: wait for a
    // while, not for ever.
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(Duration::from_millis(300), drain).await;
    let cut = connections.len();
    // Aborts the tasks still running, and waits for them
    connections.shutdown().await;
    println!(
        "server stopped after {served} connections, \
         {cut} cut off at the deadline"
    );
}

/// Sends each word as a line and prints the reply; returns the connection,
/// still open.
async fn client(
    id: u32,
    addr: SocketAddr,
    words: &[&str],
) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    let (reader, mut writer) = stream.split();
    let mut replies = BufReader::new(reader).lines();
    for word in words {
        let request = format!("{word} from client {id}");
        writer.write_all(format!("{request}\n").as_bytes()).await?;
        let reply = replies.next_line().await?.expect("a reply");
        println!("client {id}: sent {request:?}, got {reply:?}");
    }
    Ok(stream)
}

#[tokio::main(flavor = "current_thread")] // one thread serves everyone
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    // Port 0: the OS picked a free port
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = oneshot::channel();
    let server = tokio::spawn(server(listener, stop_rx));

    // Client 4 says hello, then stays connected and silent until the server
    // has stopped.
    let idle = client(4, addr, &["hello"]).await.expect("client 4 failed");
    let mut clients = JoinSet::new();
    for id in 1..=3 {
        // Dropping the returned stream closes the connection.
        clients.spawn(async move {
            client(id, addr, &["hello", "bye"]).await.map(drop)
        });
    }
    for result in clients.join_all().await {
        result.expect("a client failed");
    }
    stop_tx.send(()).unwrap();
    server.await.unwrap();
    drop(idle);
}
