//! Running one listing, bounded: a wall-clock limit, an output cap, and its own process group,
//! which is killed whole when the run ends, times out, or the page goes away.
//!
//! Every process a run starts carries `COURSE_RUNNER_RUN=<mark>` in its environment; on Linux
//! a last sweep of `/proc` kills any that left the process group (`setsid`) too. A process that
//! both left the group and dropped the mark is caught on Linux when the runner adopts orphans
//! (see [`crate::orphans`], as the `course-runner` binary does). The resource limits and the
//! runner's watchdog are in [`crate::contain`].

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::process::Command;

use crate::Limits;
use crate::compile::compile;
pub use crate::compile::externs;
pub use crate::events::Events;
use crate::examples::ExampleName;
use crate::supervise::{Ending, RUNS, exit_signal, signal_name, supervise};
pub use crate::supervise::{Groups, mark_prefix, marked_processes};

/// The environment variable that marks every process of a run.
pub const MARK_VAR: &str = "COURSE_RUNNER_RUN";

/// What to run.
#[derive(Debug)]
pub enum Job {
    /// An example as built for the book (from `source`).
    Built { source: PathBuf, binary: PathBuf },
    /// Edited code in an example's place: compiled first.
    Edited { name: ExampleName, code: String },
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
            program_environment(&mut cmd);
            cmd
        }
        Job::Python { python, file } => {
            let mut cmd = Command::new(python);
            program_environment(&mut cmd);
            cmd.arg("-u")
                .arg(&file)
                .env("PYTHONUNBUFFERED", "1")
                .env("PYTHONDONTWRITEBYTECODE", "1");
            cmd
        }
        Job::Edited { name, code } => match compile(&name, &code, &ctx, &events).await {
            Some(binary) => {
                events.send(json!({"kind": "status", "text": "running"}));
                let mut cmd = Command::new(binary);
                program_environment(&mut cmd);
                cmd
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
pub(crate) fn finish(events: &Events, phase: &str, ending: Ending, start: Instant, ctx: &Context) {
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

pub(crate) fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_short() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
