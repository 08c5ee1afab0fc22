use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    // A channel (taught in "Channels"): the worker says "I have started".
    let (started, has_started) = mpsc::channel();

    // A worker with a long job: it needs ten seconds.
    thread::spawn(move || {
        println!("worker: started a ten-second job");
        started.send(()).unwrap();
        thread::sleep(Duration::from_secs(10));
        println!("worker: finished"); // never printed
    });

    // Wait for that message, then return from main without joining.
    has_started.recv().unwrap();
    println!("main: returning without join");
    // Returning from main ends the process, and every thread in it, at once.
}
