use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    for id in 1..=3 {
        // Every producer owns a clone of the sender.
        let tx = tx.clone();
        thread::spawn(move || {
            for job in 1..=2 {
                tx.send(format!("producer {id}: job {job}")).unwrap();
            }
        });
    }
    // Drop our own sender, or the channel stays open and the loop below
    // never ends.
    drop(tx);

    let mut count = 0;
    for message in rx {
        println!("{message}");
        count += 1;
    }
    println!("all senders are gone: {count} messages");
}
