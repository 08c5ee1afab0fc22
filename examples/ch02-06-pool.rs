use std::io::{self, BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The work, one item at a time: a stand-in that crashes its worker on 13.
fn work(n: u64) -> u64 {
    assert!(n != 13, "13 is unlucky"); // a panic ends the whole worker process
    n * n
}

struct Worker {
    child: Child,                           // this program, started again as a worker
    answers: Lines<BufReader<ChildStdout>>, // the lines it prints
}

fn start() -> Worker {
    let mut command = Command::new(std::env::current_exe().expect("this program's path"));
    command.arg("worker");
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = command.spawn().expect("start a worker");
    let answers = BufReader::new(child.stdout.take().expect("piped")).lines();
    Worker { child, answers }
}

/// Like `Pool.map`: one item to each worker per round, answers read back in input order.
fn map(pool: &mut [Worker], items: &[u64]) -> Vec<Result<u64, String>> {
    let mut results = Vec::new();
    for round in items.chunks(pool.len()) {
        for (worker, item) in pool.iter_mut().zip(round) {
            let to_worker = worker.child.stdin.as_mut().expect("piped");
            let _ = writeln!(to_worker, "{item}"); // if this fails, reading will tell
        }
        for (i, worker) in pool.iter_mut().take(round.len()).enumerate() {
            let Some(Ok(answer)) = worker.answers.next() else {
                let status = worker.child.wait().expect("reap the worker"); // it has died
                results.push(Err(format!("worker {i} crashed ({status}); replaced")));
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
            println!("{}", work(line.expect("read").parse().expect("a number")));
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
