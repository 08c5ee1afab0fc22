use std::env;
use std::process::{Child, Command};

/// The function every worker process runs.
fn print_func(continent: &str) {
    println!("The name of continent is :  {continent}");
}

fn main() {
    // A worker is this same program, started again as `<this program> worker [NAME]`.
    let mut args = env::args().skip(1);
    if args.next().as_deref() == Some("worker") {
        let name: Option<String> = args.next();
        // Rust has no default arguments: a missing name is `None`, and we pick the default.
        print_func(name.as_deref().unwrap_or("Asia"));
        return;
    }

    // The parent: start four workers, one per continent (the first gets no name).
    let me = env::current_exe().expect("the path of this program");
    let names = [None, Some("America"), Some("Europe"), Some("Africa")];

    let mut workers: Vec<Child> = Vec::new();
    for name in names {
        let mut worker = Command::new(&me);
        worker.arg("worker").args(name); // an Option is an iterator of zero or one item
        workers.push(worker.spawn().expect("start a worker")); // like Process.start()
    }
    for mut worker in workers {
        worker.wait().expect("wait for a worker"); // like Process.join()
    }
}
