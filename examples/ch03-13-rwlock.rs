use std::collections::HashMap;
use std::sync::{Barrier, RwLock};
use std::thread;

fn main() {
    let prices = RwLock::new(HashMap::from([("apple", 3), ("pear", 4)]));
    // Main and the three readers meet twice: once all readers are inside,
    // and before they leave.
    let inside = Barrier::new(4);
    let leave = Barrier::new(4);

    thread::scope(|s| {
        for id in 1..=3 {
            let (prices, inside, leave) = (&prices, &inside, &leave);
            s.spawn(move || {
                // read(): shared access, for any number of readers at once.
                let table = prices.read().unwrap();
                // (With a Mutex, a second reader would wait for ever above.)
                inside.wait();
                println!("reader {id}: an apple costs {}", table["apple"]);
                leave.wait();
            }); // each read guard is dropped as its thread ends
        }

        inside.wait();
        // All three readers hold the lock now: a writer cannot have it.
        let answer = if prices.try_write().is_ok() {
            "granted"
        } else {
            "refused"
        };
        println!("main: try_write while they read: {answer}");
        leave.wait();

        // write(): waits until no reader is left, then has the map alone.
        prices.write().unwrap().insert("apple", 5);
        println!("main: wrote a new price");
    });

    println!("an apple now costs {}", prices.read().unwrap()["apple"]);
}
