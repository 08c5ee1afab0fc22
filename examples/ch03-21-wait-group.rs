use crossbeam_utils::sync::WaitGroup;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

fn main() {
    // Each job carries a clone of its batch's WaitGroup.
    let (tx, rx) = mpsc::channel::<(u64, WaitGroup)>();
    let rx = Mutex::new(rx);
    let total = AtomicU64::new(0);

    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let job = rx.lock().unwrap().recv();
                    let Ok((n, done)) = job else { return };
                    thread::sleep(Duration::from_millis(10)); // the work
                    total.fetch_add(n * n, Ordering::Relaxed);
                    drop(done); // this job is done (Python: task_done)
                }
            });
        }

        for batch in 1..=2 {
            let all_done = WaitGroup::new();
            for n in 1..=3 {
                tx.send((n, all_done.clone())).unwrap();
            }
            // Waits until every clone is dropped (Python: queue.join).
            all_done.wait();
            let total = total.load(Ordering::Relaxed);
            println!("batch {batch} done, total so far {total}");
        }
        drop(tx); // the workers' loops end; the scope joins them
    });
}
