//! What holds a run in, seen from the operating system: the resource limits each run's first
//! process starts with (inherited by all it starts), its death with the runner, and the
//! watchdog that ends every run when the runner is killed outright.
//!
//! The one module with `unsafe`: [`prepare`] runs code in the child between `fork` and `exec`
//! (`CommandExt::pre_exec`), where only async-signal-safe calls are allowed. It makes only
//! system calls through rustix (no allocation, no lock): `prctl`, `getppid`, `setrlimit`,
//! `open` and `write`.

use std::io::Write;
use std::process::{ChildStdin, Stdio};
use std::sync::{Mutex, OnceLock};

/// The bounds of one process (and what it starts), each `None` for no bound.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bounds {
    /// RLIMIT_DATA, in bytes: heap, and private writable mappings.
    pub data: Option<u64>,
    /// RLIMIT_FSIZE, in bytes: the largest file it may write (then SIGXFSZ).
    pub file_size: Option<u64>,
    /// How many more processes and threads than this user has now (RLIMIT_NPROC counts them
    /// all, for the user).
    pub processes: Option<u64>,
    /// RLIMIT_CPU, in seconds (SIGXCPU, then SIGKILL a second later).
    pub cpu_secs: Option<u64>,
}

/// Sets up `cmd` so that its process (Unix):
/// - dies with the runner (Linux: `PR_SET_PDEATHSIG`, set by the tokio worker thread that
///   starts it, which lives as long as the runtime; then `getppid()` checks that the runner
///   did not die before that);
/// - is the kernel's first choice when memory runs out (Linux: `oom_score_adj` 1000);
/// - starts with the `bounds` as its resource limits (soft and hard alike).
pub fn prepare(cmd: &mut tokio::process::Command, bounds: Bounds) {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let runner = std::process::id();
        // Elsewhere than Linux the count is unknown: no bound on processes.
        let nproc = bounds.processes.and_then(|more| Some(user_tasks()? + more));
        let set = move |resource, value: Option<u64>, extra: u64| match value {
            None => Ok(()),
            Some(v) => setrlimit(
                resource,
                Rlimit {
                    current: Some(v),
                    maximum: Some(v + extra),
                },
            ),
        };
        let setup = move || -> std::io::Result<()> {
            #[cfg(target_os = "linux")]
            {
                use rustix::process::{Signal, getppid, set_parent_process_death_signal};
                set_parent_process_death_signal(Some(Signal::KILL))?;
                if getppid().map(|p| p.as_raw_nonzero().get() as u32) != Some(runner) {
                    return Err(std::io::Error::other("the runner has ended"));
                }
                // Raising one's own score needs no privilege; a failure changes nothing else.
                if let Ok(fd) = rustix::fs::open(
                    c"/proc/self/oom_score_adj",
                    rustix::fs::OFlags::WRONLY,
                    rustix::fs::Mode::empty(),
                ) {
                    let _ = rustix::io::write(&fd, b"1000");
                }
            }
            let _ = runner;
            set(Resource::Data, bounds.data, 0)?;
            set(Resource::Fsize, bounds.file_size, 0)?;
            set(Resource::Nproc, nproc, 0)?;
            // The soft limit sends SIGXCPU, the hard one SIGKILL a second later.
            set(Resource::Cpu, bounds.cpu_secs, 1)?;
            Ok(())
        };
        // SAFETY: `setup` makes system calls only (see the module's notes), on values copied
        // before the fork.
        unsafe {
            cmd.pre_exec(setup);
        }
    }
    #[cfg(not(unix))]
    let _ = (cmd, bounds);
}

/// The processes and threads of this user now (Linux; `None` elsewhere): what RLIMIT_NPROC
/// counts.
#[cfg(unix)]
fn user_tasks() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let uid = rustix::process::getuid().as_raw().to_string();
        let entries = std::fs::read_dir("/proc").ok()?;
        let tasks = entries
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
            .filter_map(|status| {
                let field = |name: &str| {
                    status
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.split_whitespace().collect::<Vec<_>>())
                };
                let ruid = field("Uid:")?.first()?.to_string();
                let threads = field("Threads:")?.first()?.parse::<u64>().ok()?;
                (ruid == uid).then_some(threads)
            })
            .sum();
        Some(tasks)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Raises this process's soft limit of open files to its hard limit (Unix), so that many
/// connections at once do not starve the runs of descriptors. Returns the new soft limit.
pub fn raise_open_files() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        // macOS refuses more than OPEN_MAX for an unlimited hard limit.
        let want = limit.maximum.unwrap_or(1 << 20).min(1 << 20);
        let raised = Rlimit {
            current: Some(want),
            ..limit
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return Some(want);
        }
        limit.current
    }
    #[cfg(not(unix))]
    None
}

/// Removes the folders of runs (`run-PID-N` in `scratch`) whose runner (`PID`) is gone (Unix),
/// which a runner killed outright could not remove, and this runner's own if `mine` (once it
/// has ended its runs). Returns how many it removed.
pub fn remove_runs(scratch: &std::path::Path, mine: bool) -> usize {
    let Ok(entries) = std::fs::read_dir(scratch) else {
        return 0;
    };
    let alive = |pid: u32| {
        #[cfg(unix)]
        return i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            .is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok());
        #[cfg(not(unix))]
        return pid == std::process::id();
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let runner = name
                .to_str()
                .and_then(|n| n.strip_prefix("run-")?.split('-').next());
            runner
                .and_then(|pid| pid.parse::<u32>().ok())
                .is_some_and(|pid| (mine && pid == std::process::id()) || !alive(pid))
        })
        .filter(|e| std::fs::remove_dir_all(e.path()).is_ok())
        .count()
}

/// Sends a process group SIGKILL (Unix).
pub fn kill_group(pgid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pgid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = pgid;
}

/// Sends a process SIGKILL (Unix).
pub fn kill_process(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Reaps the child `pid` (Unix), waiting for it to end.
pub fn reap(pid: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        use rustix::process::{WaitOptions, waitpid};
        while let Err(rustix::io::Errno::INTR) = waitpid(Some(pid), WaitOptions::empty()) {}
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// Waits (on a blocking thread) until the child `pid` has ended, without reaping it (Unix):
/// while it is unreaped, its id (and so its process group's id) cannot be reused.
#[cfg(unix)]
pub fn wait_exit_unreaped(pid: u32) -> tokio::task::JoinHandle<()> {
    tokio::task::spawn_blocking(move || {
        use rustix::process::{Pid, WaitId, WaitIdOptions, waitid};
        let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
            return;
        };
        let options = WaitIdOptions::EXITED | WaitIdOptions::NOWAIT;
        while let Err(rustix::io::Errno::INTR) = waitid(WaitId::Pid(pid), options) {}
    })
}

/// The pipe to the watchdog: the process groups of the runs going on, one line each
/// (`+PGID`, `-PGID`).
static WATCHDOG: OnceLock<(u32, Mutex<ChildStdin>)> = OnceLock::new();

/// The watchdog's process id, once it is started: a child of the runner that is no orphan.
pub fn watchdog_pid() -> Option<u32> {
    WATCHDOG.get().map(|(pid, _)| *pid)
}

/// Starts the watchdog (`course-runner watchdog PREFIX`, from this same binary): a process of
/// its own group (a Ctrl-C in the terminal does not reach it) that learns the runs' process
/// groups through a pipe whose writing end only this process holds. When this process ends,
/// however it ends (SIGKILL included), the pipe closes and the watchdog kills those groups and
/// every process marked with this runner's runs (`MARK_VAR=PREFIX...`), then ends.
pub fn start_watchdog() -> std::io::Result<()> {
    let exe = std::env::current_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("watchdog")
        .arg(crate::run::mark_prefix())
        .stdin(Stdio::piped())
        .stdout(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn()?;
    let stdin = child.stdin.take().expect("piped stdin");
    let _ = WATCHDOG.set((child.id(), Mutex::new(stdin)));
    // Not waited for: it ends after this process, and is then reaped by whoever adopts it.
    std::mem::forget(child);
    Ok(())
}

fn tell_watchdog(line: String) {
    if let Some((_, pipe)) = WATCHDOG.get() {
        let _ = writeln!(pipe.lock().unwrap(), "{line}");
    }
}

/// Tells the watchdog about a run's process group.
pub fn watch_group(pgid: u32) {
    tell_watchdog(format!("+{pgid}"));
}

/// Tells the watchdog that a run's process group is gone.
pub fn unwatch_group(pgid: u32) {
    tell_watchdog(format!("-{pgid}"));
}

/// The watchdog's side (`course-runner watchdog PREFIX`): reads the groups until the runner's
/// end closes the pipe, then ends what is left of its runs.
pub fn watchdog_main(prefix: &str) {
    use std::io::BufRead;
    let mut groups = std::collections::BTreeSet::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if let Some(pgid) = line.strip_prefix('+').and_then(|p| p.parse::<u32>().ok()) {
            groups.insert(pgid);
        } else if let Some(pgid) = line.strip_prefix('-').and_then(|p| p.parse::<u32>().ok()) {
            groups.remove(&pgid);
        }
    }
    for pgid in groups {
        kill_group(pgid);
    }
    // A marked process may start another while it is being killed: a few rounds.
    for _ in 0..10 {
        let left = course_book::procs::marked_with_prefix(crate::run::MARK_VAR, prefix);
        if left.is_empty() {
            break;
        }
        left.into_iter().for_each(kill_process);
    }
}
