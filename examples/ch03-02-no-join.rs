use std::thread;
use std::time::Duration;

fn main() {
    // A worker with a long job: it needs ten seconds.
    thread::spawn(|| {
        println!("worker: started a ten-second job");
        thread::sleep(Duration::from_secs(10));
        println!("worker: finished"); // never printed
    });

    // Give the worker a moment to start, then return from main without joining it.
    thread::sleep(Duration::from_millis(50));
    println!("main: returning without join");
    // Returning from main ends the process, and every thread in it, at once.
}
