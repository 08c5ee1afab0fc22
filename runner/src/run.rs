//! Running one listing, bounded: a wall-clock limit, an output cap, and its own process group,
//! which is killed whole when the run ends, times out, or the page goes away.
//!
//! Every process a run starts carries `COURSE_RUNNER_RUN=<mark>` in its environment; on Linux
//! a last sweep of `/proc` kills any that left the process group (`setsid`) too. A process that
//! both left the group and dropped the mark is caught on Linux when the runner adopts orphans
//! ([`adopt_orphans`], as the `course-runner` binary does): each run's first process is a child
//! subreaper, so what it starts stays below it while it runs, and comes to the runner, which
//! ends it, once it has ended.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::mpsc;

use crate::Limits;

/// The environment variable that marks every process of a run.
pub const MARK_VAR: &str = "COURSE_RUNNER_RUN";

/// What to run.
#[derive(Debug)]
pub enum Job {
    /// An example as built for the book (from `source`).
    Built { source: PathBuf, binary: PathBuf },
    /// Edited code in an example's place: compiled first.
    Edited { name: String, code: String },
    /// A Python counterpart.
    Python { python: String, file: PathBuf },
}

/// What a run needs to know besides its job.
pub struct Context {
    pub root: PathBuf,
    pub deps_dir: PathBuf,
    pub scratch_dir: PathBuf,
    pub limits: Limits,
    pub groups: Groups,
}

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
        end_orphans();
    }
}

/// The stream of JSON lines sent to the page.
pub struct Events(pub mpsc::UnboundedSender<Bytes>);

impl Events {
    fn send(&self, value: Value) {
        let mut line = value.to_string();
        line.push('\n');
        let _ = self.0.send(Bytes::from(line));
    }

    fn text(&self, kind: &str, text: &str) {
        if !text.is_empty() {
            self.send(json!({"kind": kind, "text": text}));
        }
    }

    /// Resolves when the page has gone away (the response was dropped).
    async fn closed(&self) {
        self.0.closed().await
    }
}

/// The variables a program run from the page may inherit from the runner; every other one
/// (`RUST_BACKTRACE`, `RUST_LOG`, `TOKIO_WORKER_THREADS`, `PYTHONPATH`, cargo's `CARGO_*`...)
/// is left out, so that a run prints what the book's recorded output shows.
pub const INHERITED_VARS: &[&str] = &["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR"];

/// Gives a program (not rustc) the environment the book's outputs were recorded with: the
/// few [`INHERITED_VARS`], and `RUST_BACKTRACE=0` as `cargo xtask build` sets it for mdbook,
/// so a panic prints its message and no backtrace.
pub fn program_environment(cmd: &mut Command) {
    cmd.env_clear();
    for name in INHERITED_VARS {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    cmd.env("RUST_BACKTRACE", "0");
}

/// How a supervised process ended.
#[derive(Debug)]
enum Ending {
    Exited(ExitStatus),
    TimedOut,
    OutputCap,
    Disconnected,
    NotStarted(String),
}

/// Runs a job to its end, sending what it prints and how it ended.
pub async fn execute(job: Job, ctx: Context, events: Events) {
    let start = Instant::now();
    let program = match job {
        Job::Built { source, binary } => {
            if !binary.is_file() {
                let message = format!(
                    "{} is not built: run `cargo xtask build` (or `cargo xtask serve`)",
                    binary.display()
                );
                finish(&events, "run", Ending::NotStarted(message), start, &ctx);
                return;
            }
            let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
            if let (Some(changed), Some(built)) = (modified(&source), modified(&binary))
                && changed > built
            {
                events.text(
                    "note",
                    "the example's file changed after it was built: this runs the program as \
                     built (`cargo xtask build` builds it again; Edit runs the code shown)",
                );
            }
            let mut cmd = Command::new(&binary);
            cmd.current_dir(&ctx.root);
            program_environment(&mut cmd);
            cmd
        }
        Job::Python { python, file } => {
            let mut cmd = Command::new(python);
            program_environment(&mut cmd);
            cmd.arg("-u")
                .arg(&file)
                .current_dir(&ctx.root)
                .env("PYTHONUNBUFFERED", "1")
                .env("PYTHONDONTWRITEBYTECODE", "1");
            cmd
        }
        Job::Edited { name, code } => match compile(&name, &code, &ctx, &events).await {
            Some(binary) => {
                events.send(json!({"kind": "status", "text": "running"}));
                let mut cmd = Command::new(binary);
                cmd.current_dir(&ctx.root);
                program_environment(&mut cmd);
                cmd
            }
            None => return,
        },
    };
    let start = Instant::now();
    let ending = supervise(
        program,
        &events,
        ctx.limits.run_timeout,
        ctx.limits.output_cap,
        ("stdout", "stderr"),
        &ctx.groups,
    )
    .await;
    finish(&events, "run", ending, start, &ctx);
}

/// Sends the last line: how the program (or the compiler) ended, and its wall time.
fn finish(events: &Events, phase: &str, ending: Ending, start: Instant, ctx: &Context) {
    let millis = start.elapsed().as_millis() as u64;
    let (success, code, signal, reason, message) = match ending {
        Ending::Exited(status) => {
            let signal = exit_signal(&status);
            let message = match (status.code(), signal) {
                (Some(code), _) => format!("exit status {code}"),
                (None, Some(sig)) => format!("killed by signal {sig} ({})", signal_name(sig)),
                (None, None) => "ended".to_string(),
            };
            (status.success(), status.code(), signal, "exit", message)
        }
        Ending::TimedOut => (
            false,
            None,
            None,
            "timeout",
            format!("stopped after {}", seconds(ctx.limits.run_timeout)),
        ),
        Ending::OutputCap => (
            false,
            None,
            None,
            "output_cap",
            format!(
                "stopped: it printed more than {} KiB",
                ctx.limits.output_cap / 1024
            ),
        ),
        Ending::Disconnected => return,
        Ending::NotStarted(message) => (false, None, None, "error", message),
    };
    events.send(json!({
        "kind": "exit",
        "phase": phase,
        "success": success,
        "code": code,
        "signal": signal,
        "reason": reason,
        "message": message,
        "millis": millis,
    }));
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(unix)]
fn exit_signal(status: &ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn exit_signal(_: &ExitStatus) -> Option<i32> {
    None
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal",
    }
}

/// Compiles edited code in `scratch_dir/NAME/` with rustc and the book's own rlibs (no
/// network, no cargo): returns the binary, or `None` after sending rustc's messages.
async fn compile(name: &str, code: &str, ctx: &Context, events: &Events) -> Option<PathBuf> {
    let start = Instant::now();
    let fail = |message: String| {
        finish(events, "compile", Ending::NotStarted(message), start, ctx);
        None
    };
    let dir = ctx.scratch_dir.join(name);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return fail(format!("cannot create {}: {e}", dir.display()));
    }
    let source = dir.join(format!("{name}.rs"));
    let binary = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built = dir.join("built-from.rs");
    // The same code as last time, still built: run it again without compiling.
    if binary.is_file() && std::fs::read_to_string(&built).is_ok_and(|b| b == code) {
        return Some(binary);
    }
    let _ = std::fs::remove_file(&built);
    if let Err(e) = std::fs::write(&source, code) {
        return fail(format!("cannot write {}: {e}", source.display()));
    }
    events.send(json!({"kind": "status", "text": "compiling"}));
    let mut cmd = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()));
    // The project root's toolchain, the same rustc that built the rlibs.
    cmd.current_dir(&ctx.root)
        .args(["--edition", "2024", "--crate-type", "bin", "--crate-name"])
        .arg(name.replace('-', "_"))
        // Optimized like the book's release build, so timings compare with the page's output.
        .args(["-C", "opt-level=3", "-C", "debuginfo=0", "--color", "never"])
        .arg(format!(
            "--remap-path-prefix={}=examples",
            dir.to_string_lossy()
        ))
        .arg("-L")
        .arg(format!("dependency={}", ctx.deps_dir.display()));
    for (krate, rlib) in externs(&ctx.deps_dir) {
        cmd.arg("--extern")
            .arg(format!("{krate}={}", rlib.display()));
    }
    cmd.arg("-o").arg(&binary).arg(&source);
    let ending = supervise(
        cmd,
        events,
        ctx.limits.compile_timeout,
        ctx.limits.output_cap,
        ("compiler", "compiler"),
        &ctx.groups,
    )
    .await;
    match ending {
        Ending::Exited(status) if status.success() => {
            let _ = std::fs::write(&built, code);
            Some(binary)
        }
        Ending::Exited(status) => {
            let message = match status.code() {
                Some(1) => "it does not compile".to_string(),
                _ => format!("rustc failed ({status})"),
            };
            fail(message)
        }
        Ending::TimedOut => fail(format!(
            "rustc stopped after {}",
            seconds(ctx.limits.compile_timeout)
        )),
        other => {
            finish(events, "compile", other, start, ctx);
            None
        }
    }
}

/// The crates the examples may use (`mdbook_listing::CRATES`, which a test keeps equal to the
/// course package's `[dependencies]`), each with its rlib in `deps_dir` (the newest, should
/// there be several).
pub fn externs(deps_dir: &Path) -> Vec<(String, PathBuf)> {
    let files: Vec<PathBuf> = std::fs::read_dir(deps_dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    mdbook_listing::CRATES
        .into_iter()
        .filter_map(|krate| {
            let prefix = format!("lib{krate}-");
            let rlib = files
                .iter()
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".rlib"))
                })
                .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())?
                .clone();
            Some((krate.to_string(), rlib))
        })
        .collect()
}

/// `python3` when this machine has it.
pub fn find_python() -> Option<String> {
    std::process::Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        .then(|| "python3".to_string())
}

/// Decodes a byte stream as UTF-8 a chunk at a time, keeping a character cut in two by a
/// chunk boundary for the next chunk.
#[derive(Default)]
struct Utf8Stream(Vec<u8>);

impl Utf8Stream {
    fn push(&mut self, bytes: &[u8]) -> String {
        self.0.extend_from_slice(bytes);
        let keep = match std::str::from_utf8(&self.0) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => self.0.len() - e.valid_up_to(),
            Err(_) => 0,
        };
        let tail = self.0.split_off(self.0.len() - keep);
        let text = String::from_utf8_lossy(&self.0).into_owned();
        self.0 = tail;
        text
    }

    fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.0).into_owned();
        self.0.clear();
        text
    }
}

static RUNS: AtomicU64 = AtomicU64::new(0);

/// Whether this process adopts its runs' orphans (see [`adopt_orphans`]).
static ADOPTING: AtomicBool = AtomicBool::new(false);

/// The first processes of the runs going on, until they are reaped: the only children of an
/// adopting runner that are not orphans to end. Locked while one is started, so that a sweep
/// never sees a new run's process before it is listed here.
static LEADERS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Makes this process a child subreaper (Linux): a process that a run started and whose parent
/// has ended comes to this process instead of `init`, and is ended with its run, even if it
/// left the run's process group and dropped the run's mark from its environment. Each run's
/// first process is made a subreaper too, so that a run going on keeps its own orphans.
///
/// Only for a process whose children are all runs (the `course-runner` binary): after each run,
/// every child of this process that is not a run going on is killed. Returns whether it worked.
pub fn adopt_orphans() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(2) with integer arguments only; no memory is involved.
        let rc = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
        if rc == 0 {
            ADOPTING.store(true, Ordering::SeqCst);
            return true;
        }
    }
    false
}

/// The children of process `parent` (Linux), from `/proc/*/stat`.
#[cfg(target_os = "linux")]
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // `pid (comm) state ppid ...`: comm may hold spaces and parentheses.
            let ppid = stat.rsplit(')').next()?.split_whitespace().nth(1)?;
            (ppid.parse::<u32>().ok()? == parent).then_some(pid)
        })
        .collect()
}

/// Kills and reaps every child of this (adopting) process that is not a run going on: orphans
/// of ended runs, and what they started (which comes to this process in turn).
fn end_orphans() {
    #[cfg(target_os = "linux")]
    if ADOPTING.load(Ordering::SeqCst) {
        let me = std::process::id();
        for _ in 0..100 {
            let leaders = LEADERS.lock().unwrap();
            let orphans: Vec<u32> = children_of(me)
                .into_iter()
                .filter(|pid| !leaders.contains(pid))
                .collect();
            if orphans.is_empty() {
                return;
            }
            for pid in orphans {
                if let Ok(pid) = libc::pid_t::try_from(pid) {
                    // SAFETY: kill(2) and waitpid(2) on a child of ours that no one else
                    // waits for (not a run's leader); no memory is involved.
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                        libc::waitpid(pid, std::ptr::null_mut(), 0);
                    }
                }
            }
        }
    }
}

/// Kills a process group (and, first, nothing else: the caller guarantees that its leader has
/// not been reaped, so that the group id cannot have been reused).
fn kill_group(pgid: u32) {
    #[cfg(unix)]
    if let Ok(pgid) = libc::pid_t::try_from(pgid) {
        // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pgid;
}

/// The processes (Linux) whose environment carries this run's mark.
pub fn marked_processes(mark: &str) -> Vec<u32> {
    course_book::procs::marked(MARK_VAR, mark)
}

fn kill_marked(mark: &str) {
    #[cfg(unix)]
    for pid in marked_processes(mark) {
        if let Ok(pid) = libc::pid_t::try_from(pid) {
            // SAFETY: kill(2) on one process id; no memory is involved.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = mark;
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
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
        kill_marked(&self.mark);
        end_orphans();
        self.groups.0.lock().unwrap().remove(&self.mark);
    }
}

/// Waits (on a blocking thread) until the process `pid` has ended, without reaping it: while
/// it is unreaped, its id (and so its process group's id) cannot be reused.
#[cfg(unix)]
fn wait_exit_unreaped(pid: u32) -> tokio::task::JoinHandle<()> {
    tokio::task::spawn_blocking(move || {
        let pid: libc::id_t = pid;
        loop {
            // SAFETY: waitid writes into the zeroed siginfo_t we own; WNOWAIT leaves the child
            // to be reaped by tokio's `Child::wait`.
            let rc = unsafe {
                let mut info: libc::siginfo_t = std::mem::zeroed();
                libc::waitid(libc::P_PID, pid, &mut info, libc::WEXITED | libc::WNOWAIT)
            };
            if rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                return;
            }
        }
    })
}

/// Starts a run's first process and lists it in [`LEADERS`], under the lock, so that no sweep
/// takes it for an orphan.
fn spawn_leader(cmd: &mut Command) -> std::io::Result<tokio::process::Child> {
    let mut leaders = LEADERS.lock().unwrap();
    let child = cmd.spawn()?;
    leaders.extend(child.id());
    Ok(child)
}

/// Starts `cmd` in a process group of its own and streams what it prints as events of the two
/// given kinds, until it exits (then the rest of its group is killed), the time is up, it has
/// printed `cap` bytes, or the page has gone away (then the whole group is killed).
async fn supervise(
    mut cmd: Command,
    events: &Events,
    timeout: Duration,
    cap: usize,
    (out_kind, err_kind): (&str, &str),
    groups: &Groups,
) -> Ending {
    let mark = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    );
    cmd.env(MARK_VAR, &mark)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    if ADOPTING.load(Ordering::SeqCst) {
        // SAFETY: between fork and exec, only prctl(2), which is async-signal-safe. The
        // setting outlives exec: the run's orphans come to its first process while it runs.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = match spawn_leader(&mut cmd) {
        Ok(child) => child,
        Err(e) => {
            let program = cmd.as_std().get_program().to_string_lossy().into_owned();
            return Ending::NotStarted(format!("cannot start {program}: {e}"));
        }
    };
    let pgid = child.id().unwrap_or(0);
    groups.0.lock().unwrap().insert(mark.clone(), pgid);
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
    let mut exited = wait_exit_unreaped(pgid);
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
        events.text(kind, &decoder.push(&bytes[..take]));
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
                guard.kill();
                kill_marked(&guard.mark);
                end_orphans();
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
    events.text(err_kind, &err_text.finish());
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
    // Reaped: from now on, a child of ours with its id is an orphan.
    LEADERS.lock().unwrap().remove(&pgid);
    drop(guard);
    match ending {
        Some(ending) => ending,
        None => match status {
            Ok(status) => Ending::Exited(status),
            Err(e) => Ending::NotStarted(format!("lost the program: {e}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_cut_between_chunks_is_kept_whole() {
        let text = "naïve → ok";
        let bytes = text.as_bytes();
        let mut stream = Utf8Stream::default();
        let mut out = String::new();
        for chunk in bytes.chunks(1) {
            out.push_str(&stream.push(chunk));
        }
        out.push_str(&stream.finish());
        assert_eq!(out, text);
    }

    #[test]
    fn seconds_are_short() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
