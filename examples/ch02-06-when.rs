use std::process::Command;
use std::time::{Duration, Instant};
use std::{env, thread};

const ROUNDS: u32 = 20;

/// The average time `f` takes, over `ROUNDS` runs.
fn average(mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..ROUNDS {
        f();
    }
    start.elapsed() / ROUNDS
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        return; // a worker that does nothing: we measure only starting and ending it
    }
    let me = env::current_exe().expect("the path of this program");

    let process = average(|| {
        let status = Command::new(&me).arg("worker").status();
        assert!(status.expect("run a worker").success());
    });
    let thread = average(|| thread::spawn(|| {}).join().expect("join a thread"));

    println!("start and wait for a process: {process:>10.1?}");
    println!("spawn and join a thread:      {thread:>10.1?}");
    let ratio = process.as_secs_f64() / thread.as_secs_f64();
    println!("a process costs about {ratio:.0} times as much as a thread");
}
