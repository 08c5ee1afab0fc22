use std::sync::{Barrier, mpsc};
use std::thread;
use std::time::Duration;

/// A job whose length depends on its id: the later, the quicker.
fn work(id: u64) -> u64 {
    thread::sleep(Duration::from_millis(10 * (4 - id)));
    id * id
}

fn main() {
    let (tx, rx) = mpsc::channel();
    // Job 1 and main meet there: job 1 ends only after main has used
    // two results, which makes "while the slow one runs" certain.
    let used_two = Barrier::new(2);
    thread::scope(|s| {
        for id in 1..=3 {
            let (tx, used_two) = (tx.clone(), &used_two);
            // Each job sends its id with its result, when it is done.
            s.spawn(move || {
                let result = work(id);
                if id == 1 {
                    used_two.wait();
                }
                tx.send((id, result)).unwrap();
            });
        }
        drop(tx);
        // In the order the jobs finish, not the order they started:
        for (n, (id, result)) in rx.iter().enumerate() {
            println!("job {id} finished: {result}");
            if n == 1 {
                used_two.wait(); // two results used: job 1 may end
            }
        }
    });
    println!("all jobs finished");
}
