use std::env;
use std::process::{Command, id};

fn main() {
    let mut args = env::args().skip(1);
    if args.next().as_deref() == Some("child") {
        // The child: another process, with its own id, arguments and
        // environment.
        let rest: Vec<String> = args.collect();
        let var = env::var("GREETING");
        let greeting = var.as_deref().unwrap_or("hello");
        println!("child {}: args {rest:?}, GREETING={greeting}", id());
        return;
    }

    println!("parent {}", id());
    let me = env::current_exe().expect("the path of this program");

    // status(): run to completion; the child prints straight to our stdout.
    let status = Command::new(&me)
        .args(["child", "one"])
        .status()
        .expect("run it");
    println!("status() returned {status}");

    // output(): run to completion, capturing what the child prints.
    let output = Command::new(&me)
        .args(["child", "two"])
        .env("GREETING", "bonjour")
        .output()
        .expect("run it");
    let text = String::from_utf8_lossy(&output.stdout);
    println!(
        "output() captured {} bytes: {}",
        output.stdout.len(),
        text.trim_end()
    );
    println!("output() returned {}", output.status);

    // spawn(): start the child and carry on; wait for it later.
    let mut child = Command::new(&me)
        .args(["child", "three"])
        .spawn()
        .expect("start it");
    println!("spawn() started process {}", child.id());
    println!("wait() returned {}", child.wait().expect("wait for it"));

    // A program that cannot be started is an error from Rust, not an exit
    // status.
    match Command::new("no-such-program-here").status() {
        Ok(status) => println!("it ran?! {status}"),
        Err(e) => println!("no-such-program-here: {e} ({:?})", e.kind()),
    }
}
