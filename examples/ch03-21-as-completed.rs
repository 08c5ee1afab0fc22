use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A job whose length depends on its id: the later, the quicker.
fn work(id: u64) -> u64 {
    thread::sleep(Duration::from_millis(10 * (4 - id)));
    id * id
}

fn main() {
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for id in 1..=3 {
            let tx = tx.clone();
            // Each job sends its id with its result, when it is done.
            s.spawn(move || tx.send((id, work(id))).unwrap());
        }
        drop(tx);
        // In the order the jobs finish, not the order they started:
        for (id, result) in rx {
            println!("job {id} finished: {result}");
        }
    });
    println!("all jobs finished");
}
