use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

type Log = Arc<Mutex<Vec<String>>>;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(1)
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("a long loop on the pool:");
        for line in run(true).await {
            println!("  {line}");
        }
        println!("a long loop on a thread of its own:");
        for line in run(false).await {
            println!("  {line}");
        }
    });
}

/// A loop that lives as long as its channel, and a quick job beside it.
async fn run(on_the_pool: bool) -> Vec<String> {
    let log: Log = Arc::default();
    let (tx, mut rx) = mpsc::channel::<u32>(8);
    let looped = log.clone();
    let long_loop = move || {
        let mut sum = 0;
        while let Some(n) = rx.blocking_recv() {
            sum += n;
        }
        looped
            .lock()
            .unwrap()
            .push(format!("loop ended, sum {sum}"));
    };
    let (pooled, thread) = if on_the_pool {
        (Some(tokio::task::spawn_blocking(long_loop)), None)
    } else {
        (None, Some(std::thread::spawn(long_loop)))
    };
    for n in 1..=3 {
        tx.send(n).await.unwrap();
    }
    let quicked = log.clone();
    let quick = tokio::task::spawn_blocking(move || {
        quicked.lock().unwrap().push("quick job ran".to_string());
    });
    let mut tx = Some(tx);
    if on_the_pool {
        tx = None; // ends the loop, or the quick job would wait forever
    }
    quick.await.unwrap();
    drop(tx); // ends the loop, if it is still running
    if let Some(job) = pooled {
        job.await.unwrap();
    }
    if let Some(thread) = thread {
        thread.join().unwrap();
    }
    log.lock().unwrap().clone()
}
