use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

static RUNNING: AtomicUsize = AtomicUsize::new(0); // jobs running now
static MOST: AtomicUsize = AtomicUsize::new(0); // the most at one time

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(2) // the pool: at most 2 threads
        .build()
        .unwrap();
    runtime.block_on(six_jobs());
}

async fn six_jobs() {
    // A job waits at the barrier until a second job is running too.
    let barrier = Arc::new(Barrier::new(2));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for job in 0..6 {
        let (barrier, arrivals) = (barrier.clone(), arrivals.clone());
        handles.push(tokio::task::spawn_blocking(move || {
            let now = RUNNING.fetch_add(1, Relaxed) + 1;
            MOST.fetch_max(now, Relaxed);
            arrivals.lock().unwrap().push(job);
            barrier.wait(); // both jobs of a pair are running here
            RUNNING.fetch_sub(1, Relaxed);
            thread::current().id()
        }));
    }
    println!("queued 6 jobs; main's task is free meanwhile");
    let mut threads = HashSet::new();
    for handle in handles {
        threads.insert(handle.await.unwrap());
    }
    let arrivals = arrivals.lock().unwrap();
    for pair in arrivals.chunks(2) {
        let (a, b) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        println!("ran together: jobs {a} and {b}");
    }
    println!("most running at once: {}", MOST.load(Relaxed));
    println!("threads used: {}", threads.len());
}
