use std::io::{self, BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::{env, thread};

/// The worker: answers each line it reads on stdin, until the end of input.
fn worker() {
    for line in io::stdin().lock().lines() {
        let line = line.expect("read a line");
        println!(
            "{} has {} letters",
            line.to_uppercase(),
            line.chars().count()
        );
    }
}

fn main() {
    if env::args().nth(1).as_deref() == Some("worker") {
        worker();
        return;
    }

    let me = env::current_exe().expect("the path of this program");
    let mut child = Command::new(me)
        .arg("worker")
        .stdin(Stdio::piped()) // we write, the worker reads
        .stdout(Stdio::piped()) // the worker writes, we read
        .spawn()
        .expect("start the worker");
    let mut to_worker = child.stdin.take().expect("stdin is piped");
    let from_worker = child.stdout.take().expect("stdout is piped");

    // Write in a thread of our own, so that reading below can go on at the
    // same time.
    let writer = thread::spawn(move || {
        for name in ["Asia", "America", "Europe", "Africa"] {
            writeln!(to_worker, "{name}").expect("write to the worker");
        }
        // `to_worker` is dropped here: the pipe closes; the worker stops.
    });

    for line in BufReader::new(from_worker).lines() {
        println!("parent got: {}", line.expect("read from the worker"));
    }
    writer.join().expect("the writer thread");
    let status = child.wait().expect("wait for the worker");
    println!("worker finished: {status}");
}
