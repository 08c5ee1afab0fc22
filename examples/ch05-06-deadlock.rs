use std::collections::HashMap;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use parking_lot::{Mutex, deadlock};

fn main() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    // Neither thread asks for its second lock before both hold their
    // first: the cycle is certain, not a matter of luck.
    let both_hold = Arc::new(Barrier::new(2));
    let mut roles = HashMap::new();
    let mut workers = Vec::new();
    for (name, role, first, second) in [
        ("worker-1", "holds A, waits for B", &a, &b),
        ("worker-2", "holds B, waits for A", &b, &a),
    ] {
        let (first, second) = (first.clone(), second.clone());
        let both_hold = both_hold.clone();
        let spawned = thread::Builder::new().name(name.into());
        let worker = spawned.spawn(move || {
            let _mine = first.lock();
            both_hold.wait();
            let _theirs = second.lock(); // waits for ever
        });
        let worker = worker.expect("spawn a worker");
        roles.insert(worker.thread().id(), format!("{name}: {role}"));
        workers.push(worker);
    }
    thread::spawn(move || watchdog(roles));
    for worker in workers {
        worker.join().unwrap(); // never returns: the watchdog ends us
    }
}

fn watchdog(roles: HashMap<thread::ThreadId, String>) {
    for _ in 0..100 {
        thread::sleep(Duration::from_millis(50));
        let cycles = deadlock::check_deadlock();
        let Some(cycle) = cycles.first() else {
            continue;
        };
        println!("watchdog: lock cycles found: {}", cycles.len());
        println!("watchdog: threads in the cycle: {}", cycle.len());
        let mut parts = Vec::new();
        for thread in cycle {
            parts.push(&roles[&thread.thread_id()]);
        }
        parts.sort();
        for part in parts {
            println!("  {part}");
        }
        println!("watchdog: they can never be joined, so: exit(0)");
        std::process::exit(0);
    }
    println!("watchdog: no deadlock after 5 s");
    std::process::exit(1);
}
