use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

const CLIENTS: usize = 100;

/// What the server saw: open connections now, the most at once, the threads
/// used.
#[derive(Default)]
struct Stats {
    open: usize,
    peak: usize,
    threads: HashSet<ThreadId>,
}

async fn echo(stream: TcpStream, stats: Arc<Mutex<Stats>>) {
    {
        let mut s = stats.lock().unwrap();
        s.open += 1;
        s.peak = s.peak.max(s.open);
        s.threads.insert(thread::current().id());
    }
    let (mut reader, mut writer) = stream.into_split();
    // Send back every byte until the client hangs up.
    tokio::io::copy(&mut reader, &mut writer).await.unwrap();
    stats.lock().unwrap().open -= 1;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stats = Arc::new(Mutex::new(Stats::default()));

    let server_stats = Arc::clone(&stats);
    let server = tokio::spawn(async move {
        let mut handlers = JoinSet::new();
        for _ in 0..CLIENTS {
            let (stream, _) = listener.accept().await.unwrap();
            handlers.spawn(echo(stream, Arc::clone(&server_stats)));
        }
        handlers.join_all().await;
    });

    // Every client keeps its connection until all of them have their reply.
    let all_answered = Arc::new(Barrier::new(CLIENTS));
    let mut clients = JoinSet::new();
    for id in 0..CLIENTS {
        let all_answered = Arc::clone(&all_answered);
        clients.spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let request = format!("ping {id}\n");
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut reply = vec![0; request.len()];
            stream.read_exact(&mut reply).await.unwrap();
            assert_eq!(reply, request.as_bytes());
            all_answered.wait().await;
        });
    }
    clients.join_all().await;
    server.await.unwrap();

    let s = stats.lock().unwrap();
    println!("clients answered: {CLIENTS}");
    println!("connections open at the same time: {}", s.peak);
    println!("threads that ran a connection: {}", s.threads.len());
}
