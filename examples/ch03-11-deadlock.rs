use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let alice = Arc::new(Mutex::new(100));
    let bob = Arc::new(Mutex::new(100));
    // The two transfers and main meet here once each transfer holds its
    // first lock: it makes the unlucky timing certain instead of rare.
    let first_locks_taken = Arc::new(Barrier::new(3));
    let (done, finished) = mpsc::channel();

    let transfers = [
        ("alice -> bob", &alice, &bob),
        ("bob -> alice", &bob, &alice),
    ];
    for (name, from, to) in transfers {
        let (from, to) = (Arc::clone(from), Arc::clone(to));
        let barrier = Arc::clone(&first_locks_taken);
        let done = done.clone();
        thread::spawn(move || {
            let mut from = from.lock().unwrap();
            println!("{name}: holds its first lock, wants the second");
            barrier.wait();
            // The other thread holds this lock, and waits for ours:
            let mut to = to.lock().unwrap();
            *from -= 10;
            *to += 10;
            done.send(name).unwrap();
        });
    }
    drop(done);

    first_locks_taken.wait();
    // Wait for a transfer to finish, but not for ever.
    match finished.recv_timeout(Duration::from_millis(100)) {
        Ok(name) => println!("main: {name} finished"),
        Err(RecvTimeoutError::Timeout) => {
            println!("main: no transfer finished: deadlock");
        }
        Err(RecvTimeoutError::Disconnected) => {
            println!("main: a transfer thread panicked");
        }
    }
    // No join: returning from main ends the process, stuck threads too.
}
