use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::{Instant, sleep};

type Links = &'static [&'static str];

/// A pretend site: each page's load time and the links on it.
fn page(name: &str) -> (u64, Links) {
    match name {
        "home" => (10, &["about", "blog"]),
        "about" => (30, &[]),
        "blog" => (5, &["post-1", "post-2"]),
        "post-1" => (20, &[]),
        _ => (8, &[]),
    }
}

async fn fetch(name: &'static str) -> (&'static str, Links) {
    let (ms, links) = page(name);
    sleep(Duration::from_millis(ms)).await;
    (name, links)
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    in_flight.push(fetch("home"));
    let (mut fetched, mut most) = (0, 1);
    // `next()` gives each result as soon as its future finishes.
    while let Some((name, links)) = in_flight.next().await {
        fetched += 1;
        let ms = start.elapsed().as_millis();
        println!("{ms:>3} ms: {name} done, links {links:?}");
        for &link in links {
            in_flight.push(fetch(link)); // added while the others run
        }
        most = most.max(in_flight.len());
    }
    println!("{fetched} pages, at most {most} in flight at once");
}
