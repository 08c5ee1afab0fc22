use std::sync::mpsc;
use std::thread;

fn main() {
    // A channel: `tx` sends, `rx` receives, in the order things were sent.
    let (tx, rx) = mpsc::channel();

    let producer = thread::spawn(move || {
        for n in 1..=5 {
            // Never blocks: this channel has no size limit.
            tx.send(n * n).unwrap();
        }
        // `tx` is dropped here, when the thread ends: the channel closes.
    });

    // Takes messages as they arrive; ends once every sender is gone.
    for square in rx {
        println!("received {square}");
    }
    producer.join().unwrap();
    println!("Done!");
}
