use std::sync::mpsc;
use std::time::Duration;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(1) // one pool thread
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Hold the only pool thread until told to let go.
        let (let_go, wait) = mpsc::channel::<()>();
        let holder = tokio::task::spawn_blocking(move || wait.recv());

        // A file call, in a task of its own.
        let read = tokio::spawn(tokio::fs::metadata(std::env::temp_dir()));
        tokio::time::sleep(Duration::from_millis(20)).await;
        println!(
            "pool thread held for 20 ms; metadata done? {}",
            read.is_finished()
        );

        let_go.send(()).unwrap();
        holder.await.unwrap().unwrap();
        let meta = read.await.unwrap().unwrap();
        println!(
            "pool thread let go; metadata done: a directory? {}",
            meta.is_dir()
        );
    });
}
