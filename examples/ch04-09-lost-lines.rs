use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::io::{DuplexStream, duplex};
use tokio::sync::{mpsc, oneshot};

type Ticks = mpsc::Receiver<oneshot::Sender<()>>;

/// Writes each line in two halves. Between the halves it sends a "tick"
/// on the channel and waits until the reader has handled it.
fn slow_writer() -> (BufReader<DuplexStream>, Ticks) {
    let (mut writer, reader) = duplex(64);
    let (ticks, tick_rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for line in ["alpha\n", "bravo\n", "charlie\n"] {
            let (head, tail) = line.split_at(2);
            writer.write_all(head.as_bytes()).await.unwrap();
            let (done, handled) = oneshot::channel();
            ticks.send(done).await.unwrap();
            handled.await.unwrap();
            writer.write_all(tail.as_bytes()).await.unwrap();
        }
    }); // dropping `writer` closes the stream: the reader sees end of input
    (BufReader::new(reader), tick_rx)
}

// One thread: the writer runs only while main waits, between two polls
// of a select!, never during one.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Not cancel safe: `read_line` into a fresh String, on every turn.
    let (mut reader, mut ticks) = slow_writer();
    let mut got = Vec::new();
    loop {
        let mut line = String::new();
        tokio::select! {
            biased; // try the reader first on every turn
            n = reader.read_line(&mut line) => match n.unwrap() {
                0 => break, // end of input
                _ => got.push(line.trim_end().to_string()),
            },
            Some(tick) = ticks.recv() => tick.send(()).unwrap(),
        }
    }
    println!("read_line, restarted each turn: {got:?}");

    // Cancel safe: `Lines::next_line` keeps a partial line in `Lines`.
    let (reader, mut ticks) = slow_writer();
    let mut lines = reader.lines();
    let mut got = Vec::new();
    loop {
        tokio::select! {
            biased;
            line = lines.next_line() => match line.unwrap() {
                None => break,
                Some(line) => got.push(line),
            },
            Some(tick) = ticks.recv() => tick.send(()).unwrap(),
        }
    }
    println!("next_line, cancel safe:        {got:?}");
}
