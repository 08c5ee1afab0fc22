use std::process::Command;
use std::time::{Duration, Instant};
use std::{env, thread};

const ROUNDS: usize = 21;

/// The median time `f` takes over `ROUNDS` runs: a few runs slowed down by
/// other programs on the machine do not move it.
fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        return; // a worker that does nothing: we time starting and ending it
    }
    let me = env::current_exe().expect("the path of this program");

    let process = median(|| {
        let status = Command::new(&me).arg("worker").status();
        assert!(status.expect("run a worker").success());
    });
    let thread = median(|| thread::spawn(|| {}).join().expect("join"));

    println!("start and wait for a process: {process:>10.1?}");
    println!("spawn and join a thread:      {thread:>10.1?}");
    let ratio = process.as_secs_f64() / thread.as_secs_f64();
    println!("a process costs about {ratio:.0} times as much as a thread");
}
