use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

/// What to run when a read completes. It is given the data that was read.
type Callback = Box<dyn FnOnce(String)>;

/// A tiny event loop: one thread, running one callback at a time.
struct EventLoop {
    /// The loop's clock, read once per turn: reads started in the same
    /// turn are timed from the same instant.
    now: Instant,
    /// The reads in progress, sorted by (due time, registration number).
    pending: BTreeMap<(Instant, usize), (&'static str, Callback)>,
    registered: usize,
}

impl EventLoop {
    fn new() -> Self {
        EventLoop {
            now: Instant::now(),
            pending: BTreeMap::new(),
            registered: 0,
        }
    }

    /// Starts a (simulated) read of `site` that takes `millis`, and
    /// returns at once. `callback` runs later, when the data is there.
    fn read(
        &mut self,
        site: &'static str,
        millis: u64, // how long the read takes
        callback: impl FnOnce(String) + 'static,
    ) {
        let due = self.now + Duration::from_millis(millis);
        self.registered += 1;
        let key = (due, self.registered);
        self.pending.insert(key, (site, Box::new(callback)));
    }

    /// Runs until no read is pending. Each turn waits for the earliest
    /// read, then calls it back.
    fn run(&mut self) {
        while let Some((key, (site, callback))) = self.pending.pop_first() {
            let (due, _number) = key;
            // Nothing to do until then. (A real loop asks the OS to wake it
            // when one of its sockets has data, or at `due`.)
            thread::sleep(due.saturating_duration_since(Instant::now()));
            self.now = Instant::now();
            callback(format!("<html>Welcome to {site}!</html>"));
        }
    }
}

fn main() {
    let sites = [
        ("rust-lang.org", 150), // (site, milliseconds it takes)
        ("python.org", 50),
        ("docs.rs", 100),
    ];
    let start = Instant::now();
    let mut event_loop = EventLoop::new();

    for (site, millis) in sites {
        event_loop.read(site, millis, move |page| {
            let now = start.elapsed().as_millis();
            println!("[{now:>4} ms] {site}: {} bytes", page.len());
        });
        println!("Asked for {site} ({millis} ms).");
    }
    event_loop.run(); // returns when every callback has run

    let sum: u64 = sites.iter().map(|(_, millis)| millis).sum();
    let total = start.elapsed().as_millis();
    println!("Total: {total} ms, the longest wait, not the sum ({sum} ms).");
}
