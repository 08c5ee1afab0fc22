use std::io::{self, BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The work, one item at a time: a stand-in that crashes its worker on 13.
fn work(n: u64) -> u64 {
    assert!(n != 13, "13 is unlucky"); // a panic ends the worker process
    n * n
}

/// This program, started again as a worker, and the lines it prints.
struct Worker {
    child: Child,
    answers: Lines<BufReader<ChildStdout>>,
}

fn start() -> Worker {
    let me = std::env::current_exe().expect("this program's path");
    let mut command = Command::new(me);
    command.arg("worker");
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = command.spawn().expect("start a worker");
    let answers = BufReader::new(child.stdout.take().expect("piped")).lines();
    Worker { child, answers }
}

/// Like `Pool.map`: one item to each worker per round, answers read back
/// in input order.
fn map(pool: &mut [Worker], items: &[u64]) -> Vec<Result<u64, String>> {
    let mut results = Vec::new();
    for round in items.chunks(pool.len()) {
        for (worker, item) in pool.iter_mut().zip(round) {
            let to_worker = worker.child.stdin.as_mut().expect("piped");
            let _ = writeln!(to_worker, "{item}"); // a failure: reading tells
        }
        for (i, worker) in pool.iter_mut().take(round.len()).enumerate() {
            let Some(Ok(answer)) = worker.answers.next() else {
                // It has died: collect it, and start another in its place.
                let status = worker.child.wait().expect("reap the worker");
                let why = format!("worker {i} crashed ({status}); replaced");
                results.push(Err(why));
                *worker = start();
                continue;
            };
            results.push(Ok(answer.parse().expect("a number")));
        }
    }
    results
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("worker") {
        for line in io::stdin().lines() {
            let n = line.expect("read").parse().expect("a number");
            println!("{}", work(n));
        }
        return;
    }
    let mut pool: Vec<Worker> = (0..3).map(|_| start()).collect();
    let items: Vec<u64> = (10..=16).collect();
    for (item, result) in items.iter().zip(map(&mut pool, &items)) {
        println!("{item} -> {result:?}");
    }
    for mut worker in pool {
        println!("a worker ended: {}", worker.child.wait().expect("wait"));
    }
}
