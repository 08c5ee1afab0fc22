//! Running one listing, bounded: a wall-clock limit, an output cap, and its own process group,
//! which is killed whole when the run ends, times out, or the page goes away.
//!
//! Every process a run starts carries `COURSE_RUNNER_RUN=<mark>` in its environment; on Linux
//! a last sweep of `/proc` kills any that left the process group (`setsid`) too. A process that
//! both left the group and dropped the mark is caught on Linux when the runner adopts orphans
//! (see [`crate::orphans`], as the `course-runner` binary does). The resource limits and the
//! runner's watchdog are in [`crate::contain`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::mpsc;

use crate::Limits;
use crate::contain::{self, Bounds, kill_group};
use crate::orphans;

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
        orphans::end(&HashMap::new());
    }

    fn snapshot(&self) -> HashMap<String, u32> {
        self.0.lock().unwrap().clone()
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

/// How a supervised process ended.
#[derive(Debug)]
enum Ending {
    Exited(ExitStatus),
    /// Ended by one of its resource limits: the reason (`memory`, `cpu`, `file_size`) and the
    /// message the reader sees.
    OverBound(ExitStatus, &'static str, String),
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
            Command::new(&binary)
        }
        Job::Python { python, file } => {
            let mut cmd = Command::new(python);
            cmd.arg("-u")
                .arg(&file)
                .env("PYTHONUNBUFFERED", "1")
                .env("PYTHONDONTWRITEBYTECODE", "1");
            cmd
        }
        Job::Edited { name, code } => match compile(&name, &code, &ctx, &events).await {
            Some(binary) => {
                events.send(json!({"kind": "status", "text": "running"}));
                Command::new(binary)
            }
            None => return,
        },
    };
    // Its own working folder, under target/ (never the project root), removed afterwards with
    // whatever the run wrote there.
    let dir = ctx.scratch_dir.join(format!(
        "run-{}{}",
        mark_prefix(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    ));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let message = format!("cannot create {}: {e}", dir.display());
        finish(&events, "run", Ending::NotStarted(message), start, &ctx);
        return;
    }
    let mut program = program;
    program.current_dir(&dir);
    let start = Instant::now();
    let ending = supervise(
        program,
        &events,
        ctx.limits.run_timeout,
        ctx.limits.output_cap,
        ("stdout", "stderr"),
        &ctx.groups,
        ctx.limits.run_bounds(),
    )
    .await;
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        events.text("note", &format!("cannot remove {}: {e}", dir.display()));
    }
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
        Ending::OverBound(status, reason, message) => {
            (false, status.code(), exit_signal(&status), reason, message)
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

/// Sent at the CPU time bound.
#[cfg(unix)]
const SIGXCPU: i32 = rustix::process::Signal::XCPU.as_raw();
/// Sent at the file size bound.
#[cfg(unix)]
const SIGXFSZ: i32 = rustix::process::Signal::XFSZ.as_raw();

fn signal_name(sig: i32) -> &'static str {
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
        ctx.limits.compile_bounds(),
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
        Ending::OverBound(status, reason, message) => {
            let message = format!("rustc {message}");
            finish(
                events,
                "compile",
                Ending::OverBound(status, reason, message),
                start,
                ctx,
            );
            None
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
async fn supervise(
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
