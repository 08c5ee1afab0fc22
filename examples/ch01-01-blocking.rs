use std::thread;
use std::time::{Duration, Instant};

/// Pretends to download a page. The sleep stands in for the network: like
/// a real blocking read, it stops this thread until the data "arrives", and
/// the thread does nothing meanwhile.
fn download(site: &str, millis: u64) -> String {
    thread::sleep(Duration::from_millis(millis));
    format!("<html>Welcome to {site}!</html>")
}

fn main() {
    let sites = [
        ("rust-lang.org", 150), // (site, milliseconds it takes)
        ("python.org", 50),
        ("docs.rs", 100),
    ];
    let start = Instant::now();
    let mut waiting = Duration::ZERO; // the time spent inside download()

    for (site, millis) in sites {
        let asked = Instant::now();
        let page = download(site, millis); // blocks: the next one waits
        waiting += asked.elapsed();
        let now = start.elapsed().as_millis();
        println!("[{now:>4} ms] {site}: {} bytes", page.len());
    }

    let total = start.elapsed();
    let sum: u64 = sites.iter().map(|(_, millis)| millis).sum();
    println!(
        "Total: {} ms, the sum of the waits ({sum} ms).",
        total.as_millis()
    );
    println!(
        "Time spent on anything but waiting: {} µs.",
        (total - waiting).as_micros()
    );
}
