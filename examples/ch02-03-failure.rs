use std::process::{Command, ExitStatus};
use std::time::Duration;
use std::{env, thread};

/// What the parent can learn from a finished worker's exit status.
fn describe(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit code {code}, success() = {}", status.success());
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("no exit code: stopped by signal {signal}");
        }
    }
    format!("{status}")
}

fn main() {
    // The workers: this same program, told how to end.
    match env::args().nth(1).as_deref() {
        Some("ok") => return, // returning from main: exit code 0
        Some("exit") => std::process::exit(3),
        Some("panic") => panic!("this worker gave up"),
        Some("hang") => {
            thread::sleep(Duration::from_secs(10));
            return;
        }
        _ => {} // no argument: we are the parent
    }

    let me = env::current_exe().expect("the path of this program");
    for job in ["ok", "exit", "panic"] {
        let mut worker = Command::new(&me);
        worker.arg(job).env("RUST_BACKTRACE", "0"); // a short panic report
        let status = worker.status().expect("start a worker");
        println!("worker {job:<5}: {}", describe(status));
    }

    // A worker that would take ten seconds: stopped at once here, to show
    // its status (a real parent first gives it a deadline), then reaped.
    let mut worker = Command::new(&me)
        .arg("hang")
        .spawn()
        .expect("start a worker");
    worker.kill().expect("stop the worker");
    let status = worker.wait().expect("wait for the worker");
    println!("worker hang : {}", describe(status));
    println!("The parent is still running.");
}
