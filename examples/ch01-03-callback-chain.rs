use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

/// A callback now also receives the loop, so that it can start more reads.
type Callback = Box<dyn FnOnce(&mut EventLoop, String)>;

struct EventLoop {
    now: Instant,
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

    fn read(
        &mut self,
        file: &'static str,
        millis: u64,
        callback: impl FnOnce(&mut Self, String) + 'static,
    ) {
        let due = self.now + Duration::from_millis(millis);
        self.registered += 1;
        let key = (due, self.registered);
        self.pending.insert(key, (file, Box::new(callback)));
    }

    fn run(&mut self) {
        while let Some((key, (file, callback))) = self.pending.pop_first() {
            let (due, _number) = key;
            thread::sleep(due.saturating_duration_since(Instant::now()));
            self.now = Instant::now();
            callback(self, format!("got {file}")); // lends it the loop
        }
    }
}

fn main() {
    let start = Instant::now();
    // `log` captures only `start`, an `Instant`, which is `Copy`: so `log`
    // is `Copy` too, and every callback below gets a copy of its own.
    let log = move |what: &str| {
        println!("[{:>4} ms] {what}", start.elapsed().as_millis());
    };
    let mut event_loop = EventLoop::new();

    // Three reads in a chain: each needs the one before, so each callback
    // starts the next.
    event_loop.read("config.toml", 50, move |event_loop, config| {
        log(&config);
        event_loop.read("users/ferris.json", 50, move |event_loop, user| {
            log(&user);
            event_loop.read("avatars/ferris.png", 50, move |_, avatar| {
                log(&avatar);
                log("The chain is done.");
            });
        });
    });
    // An independent read, started at the same time as the chain.
    event_loop.read("news.txt", 75, move |_, news| log(&news));

    event_loop.run(); // returns when no read is pending
    let total = start.elapsed().as_millis();
    println!("Total: {total} ms: the chain's three 50 ms steps, in a row.");
}
