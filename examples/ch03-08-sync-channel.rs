use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    // A bounded channel: at most 2 messages wait in it. When it is full,
    // send() blocks until the consumer takes one: that is backpressure.
    let (tx, rx) = mpsc::sync_channel(2);

    let producer = thread::spawn(move || {
        for n in 1..=6 {
            tx.send(n).unwrap(); // returns once message n fits in
            println!("sent {n}");
        }
    });

    // A slow consumer: the channel never holds more than 2 messages.
    for n in rx {
        println!("        got {n}");
        thread::sleep(Duration::from_millis(20));
    }
    producer.join().unwrap();
}
