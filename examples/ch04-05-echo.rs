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

/// Accepts connections until told to stop, then waits for the open ones.
async fn server(listener: TcpListener, mut stop: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _addr) = accepted.expect("accept");
                connections.spawn(echo(stream));
            }
            _ = &mut stop => break, // shutdown: stop accepting
        }
    }
    let served = connections.join_all().await.len();
    println!("server stopped after {served} connections");
}

async fn client(id: u32, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let stream = TcpStream::connect(addr).await?;
    let (reader, mut writer) = stream.into_split();
    let mut replies = BufReader::new(reader).lines();
    for word in ["hello", "bye"] {
        let request = format!("{word} from client {id}");
        writer.write_all(format!("{request}\n").as_bytes()).await?;
        let reply = replies.next_line().await?.expect("a reply");
        println!("client {id}: sent {request:?}, got {reply:?}");
    }
    Ok(()) // dropping the stream closes the connection
}

#[tokio::main(flavor = "current_thread")] // one thread serves everyone
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap(); // port 0: the OS picked a free port
    let (stop_tx, stop_rx) = oneshot::channel();
    let server = tokio::spawn(server(listener, stop_rx));

    let mut clients = JoinSet::new();
    for id in 1..=3 {
        clients.spawn(client(id, addr));
    }
    for result in clients.join_all().await {
        result.expect("a client failed");
    }
    stop_tx.send(()).unwrap();
    server.await.unwrap();
}
