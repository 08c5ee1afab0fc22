//! The orphans of runs (Linux): processes a run started whose parent ended first.
//!
//! The `course-runner` binary is a child subreaper ([`adopt`]): a run's orphan comes to it
//! rather than to `init`, even one that left the run's process group and dropped its mark.
//! A run's own processes are not subreapers, so an orphan gets a new parent exactly as it does
//! under `cargo run --example` (only which process adopts it differs), and `wait()` in a
//! program sees its own children only.
//!
//! After a run, [`end`] kills the runner's children that no run going on may own: not a run's
//! first process, not marked with a run going on, not in such a run's process group. One that
//! gives no sign of its run (it dropped the mark and left the group) is ended once no run goes
//! on. The kills happen under a lock; the reaping happens on a thread of its own, never on an
//! async worker and never under the lock.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
#[cfg(target_os = "linux")]
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::process::{Child, Command};

/// Whether this process adopts its runs' orphans.
#[cfg(target_os = "linux")]
static ADOPTING: AtomicBool = AtomicBool::new(false);

/// The first processes of the runs going on, until they are reaped: children of the runner
/// that are never orphans. Locked while one is started, so that no sweep sees a new run's
/// process before it is listed here.
static LEADERS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Orphans killed and not yet reaped: a later sweep leaves them to the thread reaping them.
#[cfg(target_os = "linux")]
static REAPING: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Makes this process a child subreaper (Linux). Only for a process whose children are all
/// runs (and the watchdog): the `course-runner` binary. Returns whether it worked.
pub fn adopt() -> bool {
    #[cfg(target_os = "linux")]
    if rustix::process::set_child_subreaper(rustix::process::Pid::from_raw(1)).is_ok() {
        ADOPTING.store(true, Ordering::SeqCst);
        return true;
    }
    false
}

/// Starts a run's first process and lists it among the leaders, under their lock.
pub fn spawn_leader(cmd: &mut Command) -> std::io::Result<Child> {
    let mut leaders = LEADERS.lock().unwrap();
    let child = cmd.spawn()?;
    leaders.extend(child.id());
    Ok(child)
}

/// A run's first process has been reaped: from now on, a child with its id is an orphan.
pub fn leader_reaped(pid: u32) {
    LEADERS.lock().unwrap().remove(&pid);
}

/// What `/proc` says of a process: its parent, its process group and its run's mark.
#[cfg(target_os = "linux")]
struct Proc {
    pid: u32,
    ppid: u32,
    pgid: u32,
    mark: Option<String>,
}

#[cfg(target_os = "linux")]
fn read_proc(pid: u32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses.
    let mut fields = stat.rsplit(')').next()?.split_whitespace().skip(1);
    let ppid = fields.next()?.parse().ok()?;
    let pgid = fields.next()?.parse().ok()?;
    let needle = format!("{}=", crate::run::MARK_VAR);
    let mark = std::fs::read(format!("/proc/{pid}/environ"))
        .ok()
        .and_then(|environ| {
            environ
                .split(|b| *b == 0)
                .find_map(|var| var.strip_prefix(needle.as_bytes()))
                .map(|m| String::from_utf8_lossy(m).into_owned())
        });
    Some(Proc {
        pid,
        ppid,
        pgid,
        mark,
    })
}

/// Kills every child of this (adopting) process that no run going on may own (`live`: the
/// runs going on, mark to process group), and reaps them on a thread of its own.
pub fn end(live: &HashMap<String, u32>) {
    #[cfg(target_os = "linux")]
    if ADOPTING.load(Ordering::SeqCst) {
        let me = std::process::id();
        let watchdog = crate::contain::watchdog_pid();
        let leaders = LEADERS.lock().unwrap();
        let mut reaping = REAPING.lock().unwrap();
        let entries = std::fs::read_dir("/proc").into_iter().flatten().flatten();
        let killed: Vec<u32> = entries
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| !leaders.contains(pid) && !reaping.contains(pid))
            .filter(|pid| Some(*pid) != watchdog)
            .filter_map(read_proc)
            .filter(|p| p.ppid == me)
            .filter(|p| {
                let owned = p.mark.as_ref().is_some_and(|m| live.contains_key(m))
                    || live.values().any(|pgid| *pgid == p.pgid);
                let unknown = p.mark.is_none() && !live.is_empty();
                !owned && !unknown
            })
            .map(|p| p.pid)
            .collect();
        if killed.is_empty() {
            return;
        }
        killed
            .iter()
            .copied()
            .for_each(crate::contain::kill_process);
        reaping.extend(killed.iter().copied());
        std::thread::spawn(move || {
            for pid in killed {
                crate::contain::reap(pid);
                REAPING.lock().unwrap().remove(&pid);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = live;
}
