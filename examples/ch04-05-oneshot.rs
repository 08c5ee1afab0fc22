use tokio::sync::{mpsc, oneshot};

/// A request to the counter task, carrying where to send the reply.
enum Command {
    Add(u64),
    Get(oneshot::Sender<u64>),
}

/// One task owns the state; others talk to it by message. No Mutex needed.
async fn counter(mut inbox: mpsc::Receiver<Command>) {
    let mut total = 0;
    while let Some(cmd) = inbox.recv().await {
        match cmd {
            Command::Add(n) => total += n,
            Command::Get(reply) => {
                let _ = reply.send(total); // the asker may have gone: ignore
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let (tx, rx) = mpsc::channel(16);
    let owner = tokio::spawn(counter(rx));

    let mut adders = Vec::new();
    for n in 1..=10 {
        let tx = tx.clone();
        adders.push(tokio::spawn(async move {
            tx.send(Command::Add(n)).await.unwrap();
        }));
    }
    for adder in adders {
        adder.await.unwrap();
    }

    // Ask a question, wait for the one answer.
    let (reply_tx, reply_rx) = oneshot::channel();
    tx.send(Command::Get(reply_tx)).await.unwrap();
    let total = reply_rx.await.unwrap();
    println!("total from the counter task: {total}");

    drop(tx); // last sender gone: the counter's loop ends
    owner.await.unwrap();
    println!("counter task finished");
}
