use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use std::{env, thread};

const DEADLINE: Duration = Duration::from_millis(150); // for the job itself
const GRACE: Duration = Duration::from_millis(100); // for stopping when asked

/// Polls the child until it has ended (`Some`), or until `until` (`None`).
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

/// Waits until `deadline`; then asks the child to stop; then forces it.
fn finish_by(child: &mut Child, deadline: Instant) -> String {
    if let Some(status) = wait_until(child, deadline) {
        return format!("finished in time ({status})");
    }
    drop(child.stdin.take()); // ask politely: the end of input means "stop"
    if let Some(status) = wait_until(child, Instant::now() + GRACE) {
        return format!("stopped when asked ({status})");
    }
    child.kill().expect("kill the child"); // SIGKILL, or TerminateProcess
    format!("killed ({})", child.wait().expect("reap the child"))
}

fn main() {
    match env::args().nth(1).as_deref() {
        Some("quick") => return, // a job that takes no time
        Some("polite") => {
            // The job runs in a thread; the main thread watches stdin.
            thread::spawn(|| thread::sleep(Duration::from_secs(10)));
            // Returns at the end of input (an error, too, means "stop").
            let _ = io::stdin().read_to_end(&mut Vec::new());
            println!("polite  : my stdin is closed, so I stop");
            return;
        }
        Some("stubborn") => {
            thread::sleep(Duration::from_secs(10)); // ignores stdin
            return;
        }
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
