use std::env;
use std::process::{Child, Command};

/// The function every worker process runs.
fn print_func(continent: &str) {
    println!("The name of continent is :  {continent}");
}

fn main() {
    // A worker is this same program, started again as
    // `<this program> worker [NAME]`.
    let mut args = env::args().skip(1);
    if args.next().as_deref() == Some("worker") {
        let name: Option<String> = args.next();
        // No default arguments in Rust: a missing name is `None`, and we
        // pick the default here.
        print_func(name.as_deref().unwrap_or("Asia"));
        return;
    }

    // The parent: start four workers, one per continent (the first gets
    // no name).
    let me = env::current_exe().expect("the path of this program");
    let names = [None, Some("America"), Some("Europe"), Some("Africa")];

    let mut workers: Vec<Child> = Vec::new();
    for name in names {
        let mut worker = Command::new(&me);
        worker.arg("worker").args(name); // `None` adds no argument
        let child = worker.spawn().expect("start a worker"); // like start()
        workers.push(child);
    }
    for mut worker in workers {
        worker.wait().expect("wait for a worker"); // like Process.join()
    }
}
