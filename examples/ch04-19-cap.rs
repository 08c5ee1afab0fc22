use std::sync::{Arc, atomic::AtomicUsize, atomic::Ordering::SeqCst};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Duration, timeout};

const IDLE: Duration = Duration::from_millis(200); // a quiet client's limit
static OPEN: AtomicUsize = AtomicUsize::new(0); // accepted, not yet closed
static MOST: AtomicUsize = AtomicUsize::new(0); // ... and their highest count

/// Echoes lines; hangs up on a client that sends no whole line for `IDLE`
/// (per read: a client that keeps sending lines may stay).
async fn serve(stream: TcpStream, permit: OwnedSemaphorePermit) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    while let Ok(Ok(Some(line))) = timeout(IDLE, lines.next_line()).await {
        let _ = writer.write_all(format!("echo: {line}\n").as_bytes()).await;
    }
    OPEN.fetch_sub(1, SeqCst);
    drop(permit); // the place is free again; then the socket closes
}

/// Accepts the next client, counted as held from that moment on.
async fn accept(listener: &TcpListener) -> TcpStream {
    let (stream, _) = listener.accept().await.expect("accept");
    MOST.fetch_max(OPEN.fetch_add(1, SeqCst) + 1, SeqCst);
    stream
}

async fn server(listener: TcpListener) {
    let places = Arc::new(Semaphore::new(2)); // 2 at most
    loop {
        // The place first, then `accept`: while all places are taken,
        // new clients wait in the kernel's backlog, not as tasks here.
        let permit = places.clone().acquire_owned().await.unwrap();
        let stream = accept(&listener).await;
        tokio::spawn(serve(stream, permit));
    }
}

async fn client(addr: std::net::SocketAddr, id: u32) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let hello = format!("hello from client {id}\n");
    stream.write_all(hello.as_bytes()).await.expect("write");
    stream
}

async fn reply(stream: &mut TcpStream) -> String {
    let mut lines = BufReader::new(stream).lines();
    let line = lines.next_line().await.expect("read");
    line.unwrap_or_else(|| "nothing: closed".into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    // All three connect and speak before the server runs: the kernel
    // keeps them (and their lines) in the listener's backlog.
    let mut one = client(addr, 1).await;
    let mut two = client(addr, 2).await;
    let mut three = client(addr, 3).await;
    tokio::spawn(server(listener)); // takes 1 and 2; 3 waits for a place
    println!("client 1 got {}", reply(&mut one).await);
    println!("client 2 got {}", reply(&mut two).await);
    // 1 and 2 say nothing more: IDLE later, the server hangs up on them.
    println!("client 3 got {}", reply(&mut three).await);
    println!("client 1 then got {}", reply(&mut one).await);
    println!("client 2 then got {}", reply(&mut two).await);
    println!("most connections held at once: {}", MOST.load(SeqCst));
}
