use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use std::{env, thread};

/// Ignores its stdin: runs until its parent (process `parent`) has died, then a little longer.
fn stubborn(parent: u32) {
    #[cfg(unix)] // on Unix, an orphan gets a new parent: watch for the change
    while std::os::unix::process::parent_id() == parent {
        thread::sleep(Duration::from_millis(5));
    }
    #[cfg(not(unix))] // elsewhere, give the parent ample time to die
    thread::sleep(Duration::from_millis(500));
    println!("stubborn: my parent is gone, and I am still running");
}

/// Ends as soon as its stdin reaches the end of input, whoever closed it, and however.
fn watchful() {
    io::stdin().lines().for_each(drop); // read (and ignore) lines until the end of input
    println!("watchful: my stdin is closed, so my parent is gone: I stop");
}

/// Starts both workers, says so, then waits to be killed.
fn parent(me: &Path) {
    let mut watchful = Command::new(me);
    watchful.arg("watchful").stdin(Stdio::piped()); // its stdin: a pipe from us
    let mut stubborn = Command::new(me);
    stubborn.args(["stubborn", &std::process::id().to_string()]); // its stdin: ours
    let start = |mut command: Command| command.spawn().expect("start a worker");
    let _workers = [start(watchful), start(stubborn)]; // kept, with the pipe, until we die
    println!("parent  : two workers started");
    thread::sleep(Duration::from_secs(60)); // killed long before
}

fn main() {
    let me = env::current_exe().expect("the path of this program");
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parent") => return parent(&me),
        Some("watchful") => return watchful(),
        Some("stubborn") => return stubborn(args[1].parse().expect("a process id")),
        _ => {}
    }

    // The parent's stdout is a pipe we read; the workers inherit that stdout from it.
    let mut command = Command::new(&me);
    command.arg("parent").stdout(Stdio::piped());
    let mut parent = command.spawn().expect("start the parent");
    let mut lines = BufReader::new(parent.stdout.take().expect("piped")).lines();
    println!("{}", lines.next().expect("a first line").expect("read"));
    parent.kill().expect("kill the parent"); // no cleanup code of its own can run
    let status = parent.wait().expect("reap the parent");
    println!("parent  : killed ({status})");
    // The pipe ends when every process holding its writing end has ended.
    for line in lines {
        println!("{}", line.expect("read a worker's line"));
    }
    println!("main    : end of the pipe: every worker has ended");
}
