use std::sync::Arc;
use std::thread;

fn main() {
    // Arc counts its owners atomically: clones may live in other threads.
    let names = Arc::new(vec!["Asia", "America", "Europe", "Africa"]);

    let mut handles = Vec::new();
    for i in 0..names.len() {
        // One more owner, not a copy of the Vec:
        let names = Arc::clone(&names);
        handles.push(thread::spawn(move || {
            format!("thread {i} reads {}", names[i])
        }));
    }

    for handle in handles {
        println!("{}", handle.join().unwrap());
    }
    // Each thread dropped its clone as it ended: main is the last owner.
    println!("owners now: {}", Arc::strong_count(&names));
}
