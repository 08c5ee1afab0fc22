//! Supervising one process of a run: its own process group, its output streamed and capped,
//! its wall-clock limit, and its end (the group killed, marked stragglers and orphans ended).

use std::collections::HashMap;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::io::AsyncReadExt;
use tokio::process::Command;

use crate::contain::{self, Bounds, kill_group};
use crate::events::{Events, Utf8Stream};
use crate::orphans;
use crate::run::MARK_VAR;

/// The process groups of the runs going on, by mark.
#[derive(Clone, Default)]
pub struct Groups(Arc<Mutex<HashMap<String, u32>>>);

impl Groups {
    /// Kills every run's process group and every marked process (on shutdown).
    pub fn kill_all(&self) {
        let groups: Vec<(String, u32)> = self.0.lock().unwrap().drain().collect();
        for (mark, pgid) in groups {
            kill_group(pgid);
            kill_marked(&mark);
        }
        orphans::end(&HashMap::new());
    }

    fn snapshot(&self) -> HashMap<String, u32> {
        self.0.lock().unwrap().clone()
    }
}

/// How a supervised process ended.
#[derive(Debug)]
pub(crate) enum Ending {
    Exited(ExitStatus),
    /// Ended by one of its resource limits: the reason (`memory`, `cpu`, `file_size`) and the
    /// message the reader sees.
    OverBound(ExitStatus, &'static str, String),
    TimedOut,
    OutputCap,
    Disconnected,
    NotStarted(String),
}

#[cfg(unix)]
pub(crate) fn exit_signal(status: &ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
pub(crate) fn exit_signal(_: &ExitStatus) -> Option<i32> {
    None
}

/// Sent at the CPU time bound.
#[cfg(unix)]
const SIGXCPU: i32 = rustix::process::Signal::XCPU.as_raw();
/// Sent at the file size bound.
#[cfg(unix)]
const SIGXFSZ: i32 = rustix::process::Signal::XFSZ.as_raw();

pub(crate) fn signal_name(sig: i32) -> &'static str {
    match sig {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        #[cfg(unix)]
        SIGXCPU => "SIGXCPU",
        #[cfg(unix)]
        SIGXFSZ => "SIGXFSZ",
        _ => "signal",
    }
}

/// What a program that failed says on stderr when one of its limits stopped it: Rust's
/// allocation failure, Python's `MemoryError`, LLVM's (in rustc); `EFBIG` (Python ignores
/// SIGXFSZ).
#[derive(Default)]
struct LimitSigns {
    /// The end of what it printed on stderr, so that a phrase cut by a chunk boundary is seen.
    tail: String,
    memory: bool,
    file_size: bool,
}

impl LimitSigns {
    fn push(&mut self, text: &str) {
        self.tail.push_str(text);
        self.memory |= [
            "memory allocation of ",
            "MemoryError",
            "LLVM ERROR: out of memory",
        ]
        .iter()
        .any(|sign| self.tail.contains(sign));
        self.file_size |= self.tail.contains("File too large");
        let keep = self.tail.len().saturating_sub(64);
        let cut = (keep..=self.tail.len())
            .find(|&i| self.tail.is_char_boundary(i))
            .unwrap_or(0);
        self.tail.drain(..cut);
    }
}

/// The bound a failed program ran into, if any: its reason and the message the reader sees.
fn over_bound(
    status: &ExitStatus,
    signs: &LimitSigns,
    bounds: &Bounds,
) -> Option<(&'static str, String)> {
    if status.success() {
        return None;
    }
    let mib = |bytes: Option<u64>| bytes.unwrap_or(0) >> 20;
    #[cfg(unix)]
    match exit_signal(status) {
        Some(SIGXCPU) => {
            let secs = bounds.cpu_secs.unwrap_or(0);
            return Some(("cpu", format!("stopped: over {secs} s of CPU time")));
        }
        Some(SIGXFSZ) => {
            let size = mib(bounds.file_size);
            return Some((
                "file_size",
                format!("stopped: it wrote a file of {size} MiB, the most it may"),
            ));
        }
        _ => {}
    }
    if signs.memory {
        let size = mib(bounds.data);
        return Some(("memory", format!("stopped: over {size} MiB of memory")));
    }
    if signs.file_size {
        let size = mib(bounds.file_size);
        return Some((
            "file_size",
            format!("stopped: it wrote a file of {size} MiB, the most it may"),
        ));
    }
    None
}

pub(crate) static RUNS: AtomicU64 = AtomicU64::new(0);

/// What every run's mark starts with: this runner's process id (`PID-`), then the run's number.
pub fn mark_prefix() -> String {
    format!("{}-", std::process::id())
}

/// The processes (Linux) whose environment carries this run's mark.
pub fn marked_processes(mark: &str) -> Vec<u32> {
    course_book::procs::marked(MARK_VAR, mark)
}

fn kill_marked(mark: &str) {
    marked_processes(mark)
        .into_iter()
        .for_each(contain::kill_process);
}

/// Kills a run's process group, and its marked stragglers, when dropped.
struct GroupGuard {
    pgid: u32,
    mark: String,
    groups: Groups,
    /// Set once the group was killed while its leader was still unreaped.
    killed: bool,
}

impl GroupGuard {
    fn kill(&mut self) {
        if !self.killed {
            kill_group(self.pgid);
            self.killed = true;
        }
    }

    /// The run is over: its group, its marked processes, and the orphans no run going on may
    /// own are killed.
    fn end(&mut self) {
        self.kill();
        kill_marked(&self.mark);
        self.groups.0.lock().unwrap().remove(&self.mark);
        orphans::end(&self.groups.snapshot());
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.end();
        contain::unwatch_group(self.pgid);
    }
}

/// Starts `cmd` in a process group of its own and streams what it prints as events of the two
/// given kinds, until it exits (then the rest of its group is killed), the time is up, it has
/// printed `cap` bytes, or the page has gone away (then the whole group is killed).
pub(crate) async fn supervise(
    mut cmd: Command,
    events: &Events,
    timeout: Duration,
    cap: usize,
    (out_kind, err_kind): (&str, &str),
    groups: &Groups,
    bounds: Bounds,
) -> Ending {
    let mark = format!("{}{}", mark_prefix(), RUNS.fetch_add(1, Ordering::SeqCst));
    contain::prepare(&mut cmd, bounds);
    cmd.env(MARK_VAR, &mark)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    // Listed before it starts (its group is not known yet), so that its orphans are its own.
    groups.0.lock().unwrap().insert(mark.clone(), 0);
    let mut child = match orphans::spawn_leader(&mut cmd) {
        Ok(child) => child,
        Err(e) => {
            groups.0.lock().unwrap().remove(&mark);
            let program = cmd.as_std().get_program().to_string_lossy().into_owned();
            return Ending::NotStarted(format!("cannot start {program}: {e}"));
        }
    };
    let pgid = child.id().unwrap_or(0);
    groups.0.lock().unwrap().insert(mark.clone(), pgid);
    contain::watch_group(pgid);
    // Declared after `child`, so dropped before it: the group is killed while its leader is
    // still unreaped.
    let mut guard = GroupGuard {
        pgid,
        mark,
        groups: groups.clone(),
        killed: false,
    };
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    #[cfg(unix)]
    let mut exited = contain::wait_exit_unreaped(pgid);
    // Elsewhere (untested): no process group; a run ends when its output closes.
    #[cfg(not(unix))]
    let mut exited = tokio::spawn(std::future::pending::<()>());

    let deadline = tokio::time::Instant::now() + timeout;
    // Once the program has ended, what is left in its pipes is read for at most this long (a
    // process that escaped its group could hold them open).
    let mut drain_until = deadline;
    let (mut out_buf, mut err_buf) = (vec![0u8; 8192], vec![0u8; 8192]);
    let (mut out_text, mut err_text) = (Utf8Stream::default(), Utf8Stream::default());
    let (mut out_open, mut err_open) = (true, true);
    let mut printed = 0usize;
    let mut leader_done = false;
    let mut signs = LimitSigns::default();
    // The bytes read, from which stream; `None` once both are closed.
    let mut emit = |kind_is_out: bool, bytes: &[u8], printed: &mut usize| -> bool {
        let room = cap.saturating_sub(*printed);
        let take = bytes.len().min(room);
        *printed += take;
        let (decoder, kind) = if kind_is_out {
            (&mut out_text, out_kind)
        } else {
            (&mut err_text, err_kind)
        };
        let text = decoder.push(&bytes[..take]);
        if !kind_is_out {
            signs.push(&text);
        }
        events.text(kind, &text);
        take == bytes.len()
    };

    let ending = loop {
        if (leader_done || cfg!(not(unix))) && !out_open && !err_open {
            break None;
        }
        tokio::select! {
            n = stdout.read(&mut out_buf), if out_open => match n {
                Ok(n) if n > 0 => {
                    if !emit(true, &out_buf[..n], &mut printed) {
                        break Some(Ending::OutputCap);
                    }
                }
                _ => out_open = false,
            },
            n = stderr.read(&mut err_buf), if err_open => match n {
                Ok(n) if n > 0 => {
                    if !emit(false, &err_buf[..n], &mut printed) {
                        break Some(Ending::OutputCap);
                    }
                }
                _ => err_open = false,
            },
            _ = &mut exited, if !leader_done => {
                // The program has ended: whatever it started goes with it. Its pipes then
                // close once their last writer is gone; read what is left in them.
                leader_done = true;
                guard.end();
                drain_until = deadline.min(tokio::time::Instant::now() + Duration::from_millis(500));
            },
            _ = tokio::time::sleep_until(drain_until) => {
                break if leader_done { None } else { Some(Ending::TimedOut) };
            },
            _ = events.closed() => break Some(Ending::Disconnected),
        }
    };
    guard.kill();
    events.text(out_kind, &out_text.finish());
    let rest = err_text.finish();
    signs.push(&rest);
    events.text(err_kind, &rest);
    if let Some(Ending::OutputCap) = ending {
        events.send(json!({
            "kind": "note",
            "text": format!("output truncated at {} KiB", cap / 1024),
        }));
    }
    #[cfg(not(unix))]
    if tokio::time::timeout(Duration::from_secs(1), child.wait())
        .await
        .is_err()
    {
        let _ = child.start_kill();
    }
    let status = child.wait().await;
    orphans::leader_reaped(pgid);
    drop(guard);
    match ending {
        Some(ending) => ending,
        None => match status {
            Ok(status) => match over_bound(&status, &signs, &bounds) {
                Some((reason, message)) => Ending::OverBound(status, reason, message),
                None => Ending::Exited(status),
            },
            Err(e) => Ending::NotStarted(format!("lost the program: {e}")),
        },
    }
}
