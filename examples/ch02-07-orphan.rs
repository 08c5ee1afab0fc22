use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use std::{env, thread};

/// Ignores its stdin: runs until its parent (`parent`) has died, and on.
fn stubborn(parent: u32) {
    #[cfg(unix)] // on Unix, an orphan gets a new parent: watch for it
    while std::os::unix::process::parent_id() == parent {
        thread::sleep(Duration::from_millis(5));
    }
    #[cfg(not(unix))] // elsewhere, give the parent ample time to die
    {
        let _ = parent;
        thread::sleep(Duration::from_millis(500));
    }
    println!("stubborn: my parent is gone, and I am still running");
}

/// Ends when its stdin reaches the end of input, whoever closed it, and how.
fn watchful() {
    let _ = io::stdin().read_to_end(&mut Vec::new()); // until the end
    println!("watchful: my stdin is closed, so my parent is gone: I stop");
}

/// Starts both workers, says so, then waits to be killed.
fn parent(me: &Path) {
    let mut watchful = Command::new(me);
    watchful.arg("watchful").stdin(Stdio::piped()); // a pipe from us
    let mut stubborn = Command::new(me);
    let id = std::process::id().to_string();
    stubborn.args(["stubborn", &id]); // its stdin: ours
    let start = |mut command: Command| command.spawn().expect("start one");
    // Kept, with the watchful one's pipe, until we die.
    let _workers = [start(watchful), start(stubborn)];
    println!("parent  : two workers started");
    thread::sleep(Duration::from_secs(60)); // killed long before
}

fn main() {
    let me = env::current_exe().expect("the path of this program");
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parent") => parent(&me),
        Some("watchful") => watchful(),
        Some("stubborn") => stubborn(args[1].parse().expect("a process id")),
        _ => main_program(&me),
    }
}

/// Starts the parent, kills it, and reads what the workers print.
fn main_program(me: &Path) {
    // The parent's stdout is a pipe we read; the workers inherit it.
    let mut command = Command::new(me);
    command.arg("parent").stdout(Stdio::piped());
    let mut parent = command.spawn().expect("start the parent");
    let stdout = parent.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    println!("{}", lines.next().expect("a first line").expect("read"));
    parent.kill().expect("kill the parent"); // none of its code runs again
    let status = parent.wait().expect("reap the parent");
    println!("parent  : killed ({status})");
    // The pipe ends once every process holding its writing end has ended.
    for line in lines {
        println!("{}", line.expect("read a worker's line"));
    }
    println!("main    : end of the pipe: every worker has ended");
}
