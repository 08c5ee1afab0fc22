use std::time::Duration;

use tracing::{Instrument, info, info_span, warn};

/// A task's work: its events are recorded inside the span it runs in.
async fn fetch(page: u32) -> usize {
    info!("asking for the page");
    tokio::time::sleep(Duration::from_millis(10 * u64::from(page))).await;
    if page == 2 {
        warn!("slow answer, retrying once");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let size = 100 * page as usize;
    info!(size, "got the page");
    size
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Print events to stdout, plain text, with the spans they happened in; no
    // timestamps, so that the output of two runs can be compared.
    tracing_subscriber::fmt()
        .with_writer(std::io::stdout)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .init();

    let mut tasks = tokio::task::JoinSet::new();
    for page in 1..=3 {
        // Each task runs inside a span of its own: its events carry
        // `fetch{page=N}`.
        tasks.spawn(fetch(page).instrument(info_span!("fetch", page)));
    }
    let total: usize = tasks.join_all().await.into_iter().sum();
    info!(total, "all pages fetched");
}
