use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use std::{env, thread};

const DEADLINE: Duration = Duration::from_millis(150); // for the job itself
const GRACE: Duration = Duration::from_millis(100); // for stopping when asked

/// Polls the child until it has ended, or until `until` has passed (then `None`).
fn wait_until(child: &mut Child, until: Instant) -> Option<ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            return Some(status);
        }
        if Instant::now() >= until {
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Waits for the child until `deadline`; then asks it to stop; then stops it by force.
fn finish_by(child: &mut Child, deadline: Instant) -> String {
    if let Some(status) = wait_until(child, deadline) {
        return format!("finished in time ({status})");
    }
    drop(child.stdin.take()); // ask politely: the end of its input means "stop"
    if let Some(status) = wait_until(child, Instant::now() + GRACE) {
        return format!("stopped when asked ({status})");
    }
    child.kill().expect("kill the child"); // SIGKILL on Unix, TerminateProcess on Windows
    format!("killed ({})", child.wait().expect("reap the child"))
}

fn main() {
    match env::args().nth(1).as_deref() {
        Some("quick") => return, // a job that takes no time
        Some("polite") => {
            // The job runs in a thread; the main thread watches stdin for the end of input.
            thread::spawn(|| thread::sleep(Duration::from_secs(10)));
            let _ = io::stdin().read_to_end(&mut Vec::new()); // an error too means "stop"
            return println!("polite  : my stdin is closed, so I stop");
        }
        Some("stubborn") => return thread::sleep(Duration::from_secs(10)), // ignores stdin
        _ => {}
    }

    let me = env::current_exe().expect("the path of this program");
    let jobs = ["quick", "polite", "stubborn"];
    let mut children: Vec<Child> = jobs
        .iter()
        .map(|job| Command::new(&me).arg(job).stdin(Stdio::piped()).spawn())
        .collect::<io::Result<_>>()
        .expect("start the workers");
    let deadline = Instant::now() + DEADLINE; // one deadline for all three
    for (job, child) in jobs.iter().zip(&mut children) {
        println!("{job:<8}: {}", finish_by(child, deadline));
    }
}
