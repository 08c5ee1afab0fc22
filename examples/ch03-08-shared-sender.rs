use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::scope(|s| {
        for id in 1..=3 {
            // A shared reference to the one sender, not a clone:
            // `&Sender` may go to another thread because Sender is Sync.
            let tx = &tx;
            s.spawn(move || {
                for job in 1..=2 {
                    tx.send(format!("producer {id}: job {job}")).unwrap();
                }
            });
        }
    }); // the scope joins the producers; main still owns `tx`

    // The channel stays open while `tx` lives: drop it, or the loop
    // below waits for ever.
    drop(tx);
    let mut count = 0;
    for message in rx {
        println!("{message}");
        count += 1;
    }
    println!("all senders are gone: {count} messages");
}
