//! Holding a worker still: tests that must see what a listing does *while* one of its workers
//! has not finished stop that worker (`SIGSTOP`), look, then let it go (`SIGCONT`). The only
//! race is the worker ending before it is stopped; such a run is inconclusive, and tried again.
//! Linux only (`/proc`).
use crate::common;

/// Sends the signal `name` (`STOP`, `CONT`, `KILL`) to process `pid`, if it still exists: a
/// system call, not a `kill` command, since a worker may live a few milliseconds only.
pub fn signal(name: &str, pid: u32) {
    use nix::sys::signal::{Signal, kill};
    let signal: Signal = format!("SIG{name}").parse().expect("a signal name");
    let _ = kill(nix::unistd::Pid::from_raw(pid as i32), signal);
}

/// The state letter of process `pid` (`T` stopped, `Z` zombie), if it still exists.
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

/// Stops process `pid` (SIGSTOP) and waits until it is stopped, since a signal is delivered
/// asynchronously. False when it ended first: such a run is inconclusive.
pub fn stop(pid: u32) -> bool {
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    signal("STOP", pid);
    loop {
        match state(pid) {
            Some('T') => return true,
            Some('Z') | None => return false,
            _ => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
        assert!(std::time::Instant::now() < deadline, "{pid} never stopped");
    }
}

/// Runs `run` (attempt 0, 1, ...) until one attempt is conclusive (returns true), five at
/// most; `never` says why none was.
pub fn until_conclusive(run: fn(u32) -> bool, never: &str) {
    if !(0..5).any(run) {
        panic!("{never}");
    }
}

/// Lets a held worker go (when one is set) and sweeps the run's processes (those marked with
/// the string), whatever happens (a failed assertion included).
pub struct Sweep(pub String, pub Option<u32>);

impl Drop for Sweep {
    fn drop(&mut self) {
        if let Some(pid) = self.1 {
            signal("CONT", pid);
        }
        course_book::procs::kill_marked("COURSE_TEST_RUN", &self.0);
    }
}
