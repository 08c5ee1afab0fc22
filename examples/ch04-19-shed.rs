use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Greets the client, then keeps its place until the client hangs up.
async fn serve(mut stream: TcpStream, permit: OwnedSemaphorePermit) {
    let _ = stream.write_all(b"welcome\n").await;
    let _ = stream.read_to_end(&mut Vec::new()).await;
    drop(permit); // the place is free again; then the socket closes
}

async fn server(listener: TcpListener) {
    let places = Arc::new(Semaphore::new(1)); // one client at a time
    loop {
        let (mut stream, _) = listener.accept().await.expect("accept");
        match places.clone().try_acquire_owned() {
            Ok(permit) => drop(tokio::spawn(serve(stream, permit))),
            // No place: say so at once and hang up, rather than queue.
            Err(_) => drop(stream.write_all(b"busy, try later\n").await),
        }
    }
}

/// The server's next line, or "closed" when it hung up.
async fn next(stream: &mut TcpStream) -> String {
    let mut lines = BufReader::new(stream).lines();
    let line = lines.next_line().await.expect("read");
    line.unwrap_or_else(|| "nothing: closed".into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server(listener));
    let mut one = TcpStream::connect(addr).await.unwrap();
    println!("client 1 got {}", next(&mut one).await);
    let mut two = TcpStream::connect(addr).await.unwrap();
    println!("client 2 got {}", next(&mut two).await);
    println!("client 2 then got {}", next(&mut two).await);
    one.shutdown().await.unwrap(); // client 1 says goodbye...
    println!("client 1 then got {}", next(&mut one).await);
    let mut three = TcpStream::connect(addr).await.unwrap();
    println!("client 3 got {}", next(&mut three).await); // ...its place

    // A queue of jobs can shed load too: `try_send` refuses when full.
    let (jobs, _worker) = mpsc::channel::<u32>(2);
    for job in 1..=3 {
        match jobs.try_send(job) {
            Ok(()) => println!("job {job}: queued"),
            Err(TrySendError::Full(job)) => println!("job {job}: queue full"),
            Err(TrySendError::Closed(_)) => unreachable!("no worker"),
        }
    }
}
