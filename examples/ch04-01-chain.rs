use std::time::{Duration, Instant};

/// Reads a file (pretend: it takes `millis`) without blocking the thread.
async fn read(file: &str, millis: u64) -> String {
    tokio::time::sleep(Duration::from_millis(millis)).await;
    format!("got {file}")
}

fn main() {
    let start = Instant::now();
    let log = move |what: &str| {
        let ms = start.elapsed().as_millis();
        println!("[{ms:>4} ms] {what}");
    };

    // The chain of chapter 1, top to bottom: each step waits for the last.
    let chain = async {
        let config = read("config.toml", 50).await;
        log(&config);
        let user = read("users/ferris.json", 50).await;
        log(&user);
        let avatar = read("avatars/ferris.png", 50).await;
        log(&avatar);
        log("The chain is done.");
    };
    // An independent read, to run at the same time as the chain.
    let news = async { log(&read("news.txt", 75).await) };
    println!("Two futures created; nothing has run yet.");

    // A runtime on this one thread. block_on runs a future to the end;
    // join! makes one future of two, which polls both.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async { tokio::join!(chain, news) });

    let total = start.elapsed().as_millis();
    let chain = "the chain's three steps of 50 ms, one after another";
    println!("Total: {total} ms: {chain}.");
}
